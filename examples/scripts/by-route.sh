#!/bin/sh
# What did the fund pay on my claims, route by route?
#
# Settles several claims in one call with `--format json` and sums what the
# fund and the person pay per settlement route. Reads the JSON with Node (which
# reimburse needs anyway), not jq: with one claim the JSON is one object, with
# several an array, so the script accepts both.
#
#   examples/scripts/by-route.sh examples/*.yaml
#
# REIMBURSE overrides the command (default: this repository's bin/reimburse.js).
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
reimburse() { if [ -n "${REIMBURSE:-}" ]; then $REIMBURSE "$@"; else node "$here/../../bin/reimburse.js" "$@"; fi; }

if [ $# -lt 1 ]; then
  echo "usage: $0 CLAIM..." >&2
  exit 2
fi
json=$(reimburse calc "$@" --format json --fields route,payable,personal --quiet)

printf '%s\n' "$json" | node -e '
  let text = "";
  process.stdin.on("data", (d) => (text += d)).on("end", () => {
    const parsed = JSON.parse(text);
    const claims = Array.isArray(parsed) ? parsed : [parsed];
    const fen = (yuan) => Math.round(yuan * 100); // sum in fen: exact
    const by = new Map();
    for (const c of claims) {
      const r = by.get(c.route) ?? { n: 0, fund: 0, personal: 0 };
      r.n += 1; r.fund += fen(c.payable); r.personal += fen(c.personal);
      by.set(c.route, r);
    }
    const y = (f) => (f / 100).toFixed(2).padStart(12);
    console.log(`${"route".padEnd(12)}${"claims".padStart(7)}${"fund pays".padStart(12)}${"you pay".padStart(12)}`);
    let fund = 0, personal = 0;
    for (const [route, r] of [...by].sort((a, b) => b[1].fund - a[1].fund)) {
      console.log(`${route.padEnd(12)}${String(r.n).padStart(7)}${y(r.fund)}${y(r.personal)}`);
      fund += r.fund; personal += r.personal;
    }
    console.log(`${"total".padEnd(12)}${String(claims.length).padStart(7)}${y(fund)}${y(personal)}`);
  });'
