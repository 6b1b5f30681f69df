#!/usr/bin/env bash
# The keep rule's screen (docs/detection-quality.md, "The rule") for several variants of the detector at once.
#
#   scripts/screen.sh [WORKDIR] < VARIANTS
#
# VARIANTS: one line a variant, its name and the options `vigil evaluate` takes for it (`--set key=value`, ...);
# `base` alone is the defaults. For each, five seeds on both dev folds and on the synthetic corpora 1, 2 and 3
# (`synth --series 60 --seed S`, made in WORKDIR, default /tmp/vigil-screen, when missing), and one line:
#
#   name | fold a standard low_fp low_fn | fold b ... | corpus 1 caught false_alarms_per_10k | corpus 2 ... | 3 ...
#
# A variant is kept only when both folds rise and no corpus catches fewer or alarms more. Every run's files stay in
# WORKDIR/<name>/ (window-outcomes.csv, false-alarms.csv, anomaly-outcomes.csv). Run from the repository root after
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
      "$out/fold-$f.log") |"
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
