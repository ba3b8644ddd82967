# Child processes for start.sh and cluster.sh. Source it.
#
# Each child runs in its own session (setsid), so Ctrl-C reaches only the
# script, which then stops the children: a child that exits by itself is
# always a crash, reported with its log, never mistaken for Ctrl-C.
declare -A names logs alive
pids=()

# run NAME LOG COMMAND...: starts a child in its own session, its output
# appended to LOG (and its pid in $supervise_pid_dir/NAME.pid when that is set).
run() {
  local name=$1 log=$2
  shift 2
  setsid "$@" >>"$log" 2>&1 &
  pids+=($!)
  names[$!]=$name
  logs[$!]=$log
  alive[$!]=1
  if [ -n "${supervise_pid_dir:-}" ]; then echo $! >"$supervise_pid_dir/$name.pid"; fi
}

# how_it_ended STATUS: a child's end in words, from its wait status.
how_it_ended() {
  if [ "$1" -gt 128 ]; then echo "was killed by SIG$(kill -l $(($1 - 128)) 2>/dev/null || echo "$(($1 - 128))")"
  elif [ "$1" = 0 ]; then echo "exited unexpectedly (status 0)"
  else echo "exited with status $1"; fi
}

# report_exit PID STATUS HEADLINE-PREFIX: what ended, how, and the end of its log.
report_exit() {
  echo "$3 the ${names[$1]:-?} process (pid $1) $(how_it_ended "$2"); the last lines of ${logs[$1]:-its log}:"
  tail -n 20 "${logs[$1]:-/dev/null}" 2>/dev/null | sed 's/^/  | /'
}
