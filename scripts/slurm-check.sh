#!/usr/bin/env bash
# Proves the README's scale-out on a real scheduler: installs Debian's slurm-wlm and munge (apt-get, as root),
# starts a one-node cluster (munged, slurmctld and slurmd as plain processes, configuration in a temporary
# folder), submits the README's Slurm array (taken from README.md itself) for a small sweep, submits the
# README's merge job after it, waits, and compares the merged folder byte for byte with a single-machine sweep.
#
# Usage: scripts/slurm-check.sh            (from the repository; builds target/release/chatcap if missing)
# Small sweep: the README's grid (agents.scale=0.5..2:0.05 x agents.capacity=1,2,3, 93 points, 8 shards) with
# --replications 1 --set duration=2d, and --cpus-per-task cut to what the node has.
# Exit 0 when every file matches; 1 otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CHATCAP:-$ROOT/target/release/chatcap}
SMALL="--replications 1 --set duration=2d"
TIMEOUT=${SLURM_CHECK_TIMEOUT:-900}

say() { printf 'slurm-check: %s\n' "$*"; }

if [ ! -x "$BIN" ]; then
  say "building chatcap"
  (cd "$ROOT" && cargo build --release --quiet)
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null
fi

WORK=$(mktemp -d /tmp/chatcap-slurm.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
say "working in $WORK"

# munge: a fresh key and socket in the work folder.
mkdir -p "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge/munge.key"
SOCKET="$WORK/munge/munge.socket"
munged --force --foreground --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/seed" >>"$WORK/munge/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done

# Slurm: one node with the machine's CPUs, ports away from the defaults.
HOST=$(hostname -s)
CPUS=$(nproc)
mkdir -p "$WORK/state" "$WORK/spool"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=chatcap-check
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=1 State=UNKNOWN
PartitionName=check Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -D -c -f "$SLURM_CONF" >>"$WORK/slurmctld.log" 2>&1 &
PIDS+=($!)
sleep 2
slurmd -D -f "$SLURM_CONF" -N "$HOST" >>"$WORK/slurmd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed)' && break
  sleep 0.2
done
say "cluster: $(sinfo -h -o '%P %D node(s) %c CPUs %T')"

# The README's array script, taken from README.md, made small: fewer CPUs per task, a shorter sweep.
cd "$WORK"
ln -s "$ROOT/scenarios" scenarios
sed -n '/^A Slurm array of 8 shards/,/^A Kubernetes/p' "$ROOT/README.md" \
  | awk '/^```sh/{n++; next} /^```/{next} n==1' > sweep.sbatch.readme
sed -n '/^A Slurm array of 8 shards/,/^A Kubernetes/p' "$ROOT/README.md" \
  | awk '/^```sh/{n++; next} /^```/{next} n==2' > submit.readme
[ -s sweep.sbatch.readme ] && [ -s submit.readme ] || { say "README's Slurm blocks not found"; exit 1; }
sed -e "s/--cpus-per-task=[0-9]*/--cpus-per-task=1/" -e "s|--quiet|--quiet $SMALL|" sweep.sbatch.readme > sweep.sbatch
say "sweep.sbatch (README's, with --cpus-per-task=1 and $SMALL):"
sed 's/^/    /' sweep.sbatch
export PATH="$(dirname "$BIN"):$PATH"

START=$(date +%s)
jobid=$(sbatch --parsable --output="$WORK/slurm-%A_%a.out" sweep.sbatch)
# The README's merge line, with its jobid.
merge_line=$(grep -- '--dependency' submit.readme)
mergeid=$(eval "${merge_line/sbatch /sbatch --parsable --output=$WORK/merge.out }")
say "submitted array $jobid and merge $mergeid"
while [ -n "$(squeue -h -j "$jobid,$mergeid" 2>/dev/null)" ]; do
  if [ $(( $(date +%s) - START )) -gt "$TIMEOUT" ]; then say "timed out after ${TIMEOUT}s"; squeue; exit 1; fi
  sleep 1
done
say "array and merge finished in $(( $(date +%s) - START ))s"
cat "$WORK/merge.out" 2>/dev/null | sed 's/^/    merge: /'
[ -f results/merged/sweep.csv ] || { say "no merged sweep.csv; see $WORK/slurm-*.out"; cat "$WORK"/slurm-*.out; exit 1; }

# The same sweep on one machine, no shards.
args=$(grep -A1 '^chatcap sweep' sweep.sbatch | tr -d '\\\n' | sed -e 's/--shard auto//' \
  -e 's/--jobs "$SLURM_CPUS_PER_TASK"//' -e 's|--out "results/shard-$SLURM_ARRAY_TASK_ID"||' -e 's/^chatcap sweep//')
# shellcheck disable=SC2086
"$BIN" sweep $args --out single >/dev/null
status=0
for f in $(cd single && find . -type f | sort); do
  if cmp -s "single/$f" "results/merged/$f"; then
    say "same bytes: $f"
  else
    say "DIFFERENT: $f"
    status=1
  fi
done
shards=$(ls -d results/shard-* | wc -l)
rows=$(( $(wc -l < single/sweep.csv) - 1 ))
if [ "$status" = 0 ]; then
  say "OK: $shards Slurm shards merged into the single-machine folder, byte for byte ($rows rows of sweep.csv, every file above)"
else
  say "FAILED: the merged folder differs from the single-machine one"
fi
exit "$status"
