#!/usr/bin/env bash
# The keep rule's screen (docs/detection-quality.md, "The rule") for several variants of the detector at once.
#
#   scripts/screen.sh [WORKDIR] < VARIANTS
#
# VARIANTS: one line a variant, its name and the options `vigil evaluate` takes for it (`--set key=value`, ...);
# `base` alone is the defaults. For each, five seeds on both dev folds and on the synthetic corpora 1, 2 and 3
# (`synth --series 60 --seed S`, made in WORKDIR, default /tmp/vigil-screen, when missing), and one line:
#
#   name | fold a standard low_fp low_fn [least gain G (without FILE)] | fold b ... | corpus 1 caught
#   false_alarms_per_10k | corpus 2 ... | 3 ...
#
# "least gain": a variant's smallest gain in fold standard score over `base` (screened first, or earlier into the same
# WORKDIR) with any one of the fold's files left out; at or below 0, the fold's gain comes from that one file. A
# variant is kept only when both folds rise, with every file left out too, and no corpus catches fewer or alarms more.
# Every run's files stay in WORKDIR/<name>/ (window-outcomes.csv, false-alarms.csv, anomaly-outcomes.csv,
# leave-one-out.csv). Run from the repository root after
# `mvn package`; VIGIL_JAR names another jar, JAVA_OPTS adds JVM options (a prototype's -D switches).
set -euo pipefail
work=${1:-/tmp/vigil-screen}
jar=${VIGIL_JAR:-target/vigil.jar}
nab=../shared/nab
mkdir -p "$work"
for s in 1 2 3; do
  if [ ! -f "$work/synth$s/labels/combined_windows.json" ]; then
    java -jar "$jar" synth --out "$work/synth$s" --series 60 --seed "$s" > /dev/null
  fi
done
evaluate() {
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" evaluate --seeds 1-5 "$@"
}
# " least gain G (without FILE)": of the variant's standard scores with one file of the fold left out, the one that
# gains least over the defaults' with the same file left out (leave-one-out.csv of each); nothing for the defaults.
least_gain() {
  [ "$1" = "$2" ] || [ ! -f "$1/leave-one-out.csv" ] && return 0
  awk -F, 'NR == FNR { if (FNR > 1) base[$1] = $3; next }
           FNR > 1 && ($1 in base) { g = $3 - base[$1]; if (!seen || g < least) { least = g; file = $1; seen = 1 } }
           END { if (seen) printf " least gain %+.1f (without %s)", least, file }' \
    "$1/leave-one-out.csv" "$2/leave-one-out.csv"
}
while read -r name opts; do
  [ -z "$name" ] && continue
  out="$work/$name"
  mkdir -p "$out"
  line="$name |"
  for f in a b; do
    # shellcheck disable=SC2086
    evaluate --data "$nab/data" --labels "$nab/labels/combined_windows.json" --fold "$f" --out "$out/fold-$f" \
      $opts > "$out/fold-$f.log" 2>&1
    line="$line $(sed -nE 's/^nab seeds=.* standard=([0-9.]+) .* low_fp=([0-9.]+) .* low_fn=([0-9.]+) .*/\1 \2 \3/p' \
      "$out/fold-$f.log")$(least_gain "$work/base/fold-$f" "$out/fold-$f") |"
  done
  for s in 1 2 3; do
    # shellcheck disable=SC2086
    evaluate --data "$work/synth$s/data" --labels "$work/synth$s/labels/combined_windows.json" --out "$out/synth$s" \
      $opts > "$out/synth$s.log" 2>&1
    line="$line $(sed -nE 's/^detection anomalies=.* caught=([0-9]+) .* false_alarms_per_10k=([0-9.]+)$/\1 \2/p' \
      "$out/synth$s.log" | tail -1) |"
  done
  echo "$line"
done
