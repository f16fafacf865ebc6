#!/bin/bash
# usage: ops-rss.tmp.sh "ENV=.." "node flags"
env $1 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ops_rss WAGO_ADMIN_TOKEN=ops-admin-token-0123456789 PORT=18631 HOST=127.0.0.1 WAGO_DISABLE_NEXT=${DN:-1} NODE_ENV=production node $2 --import ./dist/async-context/register.mjs dist/server.mjs > /tmp/ops-rss.log 2>&1 &
pid=$!
sleep ${WAIT:-18}
echo "$1 | $2 | $(grep VmRSS /proc/$pid/status) $(awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6} /^Rss:/{ if ($2>3000 && name=="") printf "%d ", $2}' /proc/$pid/smaps)"
kill -TERM $pid; wait $pid
