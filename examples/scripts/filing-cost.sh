#!/bin/sh
# What does not filing (备案) cost me across all my claims?
#
# Settles every claim as written and again with `--set filing=none`, in one
# call each, and prints per claim what the fund pays both ways and the
# difference the person would bear, then the total. Inside a mutual-recognition
# zone, or for an emergency (deemed filed), not filing costs nothing.
# Uses `reimburse calc` on several files with TSV output, paste and awk.
#
#   examples/scripts/filing-cost.sh examples/*.yaml
#
# REIMBURSE overrides the command (default: this repository's bin/reimburse.js).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
reimburse() { if [ -n "${REIMBURSE:-}" ]; then $REIMBURSE "$@"; else node "$here/../../bin/reimburse.js" "$@"; fi; }

if [ $# -lt 1 ]; then
  echo "usage: $0 CLAIM..." >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tab=$(printf '\t')

# Rows come out in argument order, one per claim, so the two outputs line up.
reimburse calc "$@" --format tsv --fields file,route,payable --quiet >"$tmp/filed"
reimburse calc "$@" --set filing=none --format tsv --fields route,payable --quiet >"$tmp/unfiled"

# Money in fen (integers) so that the total is exact.
paste "$tmp/filed" "$tmp/unfiled" |
  awk -F "$tab" '
    function fen(yuan) { return sprintf("%.0f", yuan * 100) + 0 }
    NR == 1 { printf "%-40s %-22s %-22s %12s\n", "claim", "as filed", "not filed", "you lose"; next }
    {
      d = fen($3) - fen($5); total += d
      printf "%-40s %-10s %11.2f %-10s %11.2f %12.2f\n", $1, $2, $3, $4, $5, d / 100
    }
    END { printf "not filing would cost you %.2f yuan over %d claim(s)\n", total / 100, NR - 1 }'
