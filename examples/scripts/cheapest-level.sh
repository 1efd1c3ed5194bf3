#!/bin/sh
# Which hospital level is cheapest for me?
#
# Settles one claim at each hospital level (community, 1, 2, 3 unless you list
# others) and prints what the fund and the person pay at each, cheapest for the
# person first. Uses `reimburse compare --vary` with TSV output, awk and sort.
#
#   examples/scripts/cheapest-level.sh examples/referral-changde-wuhan.yaml
#   examples/scripts/cheapest-level.sh my-claim.yaml 1,2,3,provincial
#
# REIMBURSE overrides the command (default: this repository's bin/reimburse.js).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
reimburse() { if [ -n "${REIMBURSE:-}" ]; then $REIMBURSE "$@"; else node "$here/../../bin/reimburse.js" "$@"; fi; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 CLAIM [LEVELS]   (LEVELS: comma-separated, default community,1,2,3)" >&2
  exit 2
fi
levels=${2:-community,1,2,3}
tab=$(printf '\t')

# Columns by name (--fields), so the script keeps working if columns are added.
rows=$(reimburse compare "$1" --vary "treatment.level=$levels" --format tsv --fields base,level,payable,personal --quiet)

# Drop the header and the claim-as-written row; sort by what the person pays (stable).
printf '%s\n' "$rows" |
  awk -F "$tab" 'NR > 1 && $1 == "false" { print $2 "\t" $3 "\t" $4 }' |
  sort -s -t "$tab" -k3,3n |
  awk -F "$tab" '
    BEGIN { printf "%-12s %12s %12s\n", "level", "fund pays", "you pay" }
    { printf "%-12s %12.2f %12.2f\n", $1, $2, $3 }
    NR == 1 { best = $1; pay = $3 }
    END { if (NR) printf "cheapest for you: level %s (you pay %.2f yuan)\n", best, pay }'
