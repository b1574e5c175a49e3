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

# start_sandbox LOG ARGS...: a stand-in CertCentral in the background;
# sets url to its base URL. Every one is stopped by its PID when we exit.
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done' EXIT
trap 'exit 130' INT TERM
start_sandbox() {
	log=$1; shift
	"$cb" sandbox --lang en --addr 127.0.0.1:0 "$@" >"$log" 2>&1 & # --lang en: this script reads its first line
	pid=$!
	pids="$pids $pid"
	url=
	# Wait for the line that says it serves, however loaded the machine
	# is; the two-minute bound only turns a sandbox that never starts
	# into an error, and one that died is reported at once.
	i=0
	while [ "$i" -lt 480 ]; do
		url=$(sed -n 's/^sandbox: serving CertCentral at \([^ ]*\) .*/\1/p' "$log")
		[ -n "$url" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
		i=$((i + 1))
	done
	if [ -z "$url" ]; then
		echo "demo: the sandbox did not start:"; cat "$log"; exit 1
	fi
}

# One that drops the connection of every 3rd order after creating it:
# what a crash, a timeout or a killed run looks like from certbatch's side.
start_sandbox "$out/sandbox.log" --latency 250ms --drop-every 3 --data "$out/sandbox.json"
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
echo "== 5. order Secure Email certificates, what DigiCert sells since it deprecated Premium & co. on 2025-07-10,"
echo "   from an HR export (Given Name, Surname, Work Email: no columns: block; the common name comes from the names)"
"$cb" submit samples/secure_email.csv --config samples/secure_email.yaml --sandbox --yes --quiet \
	--state "$out/secure_email.db" -o "$out/secure_email.results.xlsx"
expect $? 0 "every row ordered or skipped"

echo
echo "== 6. run the client file again: everyone already has an order, nothing is sent"
"$cb" submit samples/client.csv --config samples/client.yaml --base-url "$url" --yes --quiet \
	--state "$out/certbatch.db" -o "$out/client.rerun.results.csv"
expect $? 0 "every row ordered or skipped"

echo
echo "== 7. the results of step 3 (order, request and certificate IDs per row; recovered orders say so)"
"$cb" show "$out/client.results.xlsx"

echo
echo "== 8. the audit trail of the client journal"
"$cb" history --state "$out/certbatch.db"

echo
echo "== 8. the nightly roster: HR's full list in, joiners ordered, renewals renewed, leavers listed"
echo "   (a sandbox holding Bo Kim's certificate, which expires in 12 days, and Cy Park's, who left)"
start_sandbox "$out/roster-sandbox.log" --hold bo.kim@example.com:12 --hold cy.park@example.com:200 --data "$out/roster-sandbox.json"
printf 'Employee ID,Full Name,First Name,Last Name,Email,Department\r\nE2001,Ann Lee,Ann,Lee,ann.lee@example.com,Accounting\r\nE2002,Bo Kim,Bo,Kim,bo.kim@example.com,Research\r\n' >"$out/roster.csv"
"$cb" sync "$out/roster.csv" --config samples/client.yaml --base-url "$url" --state "$out/roster.db" --dry-run --quiet
expect $? 0 "the plan: one joiner (Ann Lee), one renewal (Bo Kim), one leaver (Cy Park); nothing sent"
"$cb" sync "$out/roster.csv" --config samples/client.yaml --base-url "$url" --state "$out/roster.db" --yes --quiet
expect $? 0 "Ann Lee ordered, Bo Kim renewed, Cy Park listed (revoked only with --revoke-leavers)"
"$cb" show "$out/roster.sync.xlsx"
"$cb" sync "$out/roster.csv" --config samples/client.yaml --base-url "$url" --state "$out/roster.db" --yes --quiet \
	--revoke-leavers --reason cessationOfOperation --skip-approval
expect $? 0 "the next night, with --revoke-leavers: Cy Park's certificate is revoked; nobody is ordered or renewed twice"
