#!/bin/sh
# make demo: rehearse the whole job on sandboxes; nothing is bought.
# Usage: scripts/demo.sh [DIR] (default demo-out). Needs ./certbatch built.
# Expected non-zero exits are printed on purpose, never hidden.
set -u
out=${1:-demo-out}
cb=${CERTBATCH:-./certbatch}
rm -rf "$out" && mkdir -p "$out"

# expect CODE WANT WHY: say which exit code a step ended with and what it
# means; stop the demo when it is not the one expected.
expect() {
	if [ "$1" != "$2" ]; then
		echo "demo: FAILED: exit $1, want $2"; exit 1
	fi
	echo "(exit $1: $3)"
}

# A stand-in CertCentral in the background that drops the connection of
# every 3rd order after creating it: what a crash, a timeout or a killed
# run looks like from certbatch's side. Stopped by its PID when we exit.
"$cb" sandbox --addr 127.0.0.1:0 --latency 250ms --drop-every 3 --data "$out/sandbox.json" >"$out/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
# Wait for the line that says it serves, however loaded the machine is;
# the two-minute bound only turns a sandbox that never starts into an
# error, and one that died is reported at once.
url=
i=0
while [ "$i" -lt 480 ]; do
	url=$(sed -n 's/^sandbox: serving CertCentral at \([^ ]*\) .*/\1/p' "$out/sandbox.log")
	[ -n "$url" ] && break
	kill -0 "$sandbox_pid" 2>/dev/null || break
	sleep 0.25
	i=$((i + 1))
done
if [ -z "$url" ]; then
	echo "demo: the sandbox did not start:"; cat "$out/sandbox.log"; exit 1
fi
export DIGICERT_API_KEY=sandbox # the key that sandbox accepts; not a secret

# in_tty CMD: run CMD in a pseudo-terminal that answers "yes" to the
# confirmation (so the prompt and the progress bar show as they do for a
# person). Without script(1), CMD runs with --yes and no terminal.
in_tty() {
	if script -qec true /dev/null >/dev/null 2>&1; then
		(sleep 2; echo yes) | script -qec "$1" /dev/null
	elif script -q /dev/null true >/dev/null 2>&1; then
		(sleep 2; echo yes) | script -q /dev/null sh -c "$1"
	else
		echo "(no script(1) for a pseudo-terminal here: answering with --yes instead)"
		sh -c "$1 --yes"
	fi
}

echo "== 1. dry run of a file with mistakes: every problem of every row at once"
"$cb" validate samples/client-with-errors.csv --config samples/client.yaml -o "$out/errors.results.csv" --quiet
expect $? 3 "some rows are invalid: fix the data"

echo
echo "== 2. order the client file: the plan, the confirmation, the progress bar"
echo "   (the sandbox drops every 3rd order's answer: those rows end uncertain)"
in_tty "$cb submit samples/client.csv --config samples/client.yaml --base-url $url --concurrency 2 --state $out/certbatch.db -o $out/client.results.csv"
expect $? 4 "some rows are uncertain: run again, it checks DigiCert first"

echo
echo "== 3. run the results file again: uncertain rows are looked up at DigiCert first and adopted, nobody is ordered twice"
echo "   (--settle 0s: the sandbox's order list is current at once; at DigiCert the default waits a few minutes)"
"$cb" submit "$out/client.results.csv" --config samples/client.yaml --base-url "$url" --settle 0s --yes --quiet --state "$out/certbatch.db"
expect $? 0 "every row ordered or skipped"

echo
echo "== 4. order document signing certificates (from .xlsx) on a sandbox started in-process (--sandbox), with its own journal"
"$cb" submit samples/document_signing.xlsx --config samples/document_signing.yaml --sandbox --yes --quiet \
	--state "$out/signing.db" -o "$out/document_signing.results.xlsx"
expect $? 0 "every row ordered or skipped"

echo
echo "== 5. run the client file again: everyone already has an order, nothing is sent"
"$cb" submit samples/client.csv --config samples/client.yaml --base-url "$url" --yes --quiet \
	--state "$out/certbatch.db" -o "$out/client.rerun.results.csv"
expect $? 0 "every row ordered or skipped"

echo
echo "== 6. the results of step 3 (order, request and certificate IDs per row; recovered orders say so)"
"$cb" show "$out/client.results.xlsx"

echo
echo "== 7. the audit trail of the client journal"
"$cb" history --state "$out/certbatch.db"
