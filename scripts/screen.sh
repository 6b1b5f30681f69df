#!/usr/bin/env bash
# The keep rule's screen (docs/detection-quality.md, "The rule") for several variants of the detector at once.
#
#   scripts/screen.sh [WORKDIR] < VARIANTS
#
# VARIANTS: one line a variant, its name and the options `vigil evaluate` takes for it (`--set key=value`, ...);
# `base` alone is the defaults. For each, five seeds on both dev folds and on the synthetic corpora 1, 2 and 3
# (`synth --series 60 --seed S`, made in WORKDIR, default /tmp/vigil-screen, when missing; CORPORA="1 2 3 401 402
# 403" names others, to check that a variant carries over to corpora it was not chosen on), and one line:
#
#   name | fold a standard low_fp low_fn [gain L (without FILE) to G (without FILE)] | fold b ... | corpus 1
#   caught false_alarms_per_10k (settling S) | corpus 2 ... | 3 ...
#
# S: the alerts opened in each file's probationary rows (its first 15%, where NAB and the false alarms count nothing)
# outside windows, per 10k of those rows: what a key's settling costs a user that the scores do not show.
#
# The gains: a variant's gain in fold standard score over `base` (screened first, or earlier into the same WORKDIR)
# with each one of the fold's files left out, the least and the greatest. A gain that falls to 0 or below with one file
# left out rests on that file; a loss that vanishes with one file left out is that file's. The rule a variant is
# judged by is docs/detection-quality.md's. About 85 s a variant on 2 cores with three corpora. Every run's files stay
# in WORKDIR/<name>/ (window-outcomes.csv, false-alarms.csv, anomaly-outcomes.csv, leave-one-out.csv).
# Run from the repository root after `mvn package`; VIGIL_JAR names another jar, JAVA_OPTS adds JVM options (a
# prototype's -D switches).
set -euo pipefail
work=${1:-/tmp/vigil-screen}
jar=${VIGIL_JAR:-target/vigil.jar}
nab=../shared/nab
mkdir -p "$work"
corpora=${CORPORA:-1 2 3}
for s in $corpora; do
  if [ ! -f "$work/synth$s/labels/combined_windows.json" ]; then
    java -jar "$jar" synth --out "$work/synth$s" --series 60 --seed "$s" > /dev/null
  fi
done
evaluate() {
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$jar" evaluate --seeds 1-5 "$@"
}
# " gain L (without FILE) to G (without FILE)": the variant's gain in fold standard score over the defaults' with
# each file of the fold left out (leave-one-out.csv of each), the least and the greatest; nothing for the defaults.
file_gains() {
  [ "$1" = "$2" ] || [ ! -f "$1/leave-one-out.csv" ] && return 0
  awk -F, 'NR == FNR { if (FNR > 1) base[$1] = $3; next }
           FNR > 1 && ($1 in base) { g = $3 - base[$1]
             if (!seen || g < least) { least = g; lf = $1 }
             if (!seen || g > most) { most = g; mf = $1 }
             seen = 1 }
           END { if (seen) printf " gain %+.1f (without %s) to %+.1f (without %s)", least, lf, most, mf }' \
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
      $opts > "$out/fold-$f.log" 2>&1 || { echo "$name | failed: $(tail -1 "$out/fold-$f.log")"; continue 2; }
    n='(-?[0-9.]+)'
    line="$line $(sed -nE "s/^nab seeds=.* standard=$n .* low_fp=$n .* low_fn=$n .*/\\1 \\2 \\3/p" \
      "$out/fold-$f.log")$(file_gains "$work/base/fold-$f" "$out/fold-$f") |"
  done
  for s in $corpora; do
    # shellcheck disable=SC2086
    evaluate --data "$work/synth$s/data" --labels "$work/synth$s/labels/combined_windows.json" --out "$out/synth$s" \
      $opts > "$out/synth$s.log" 2>&1 || { echo "$name | failed: $(tail -1 "$out/synth$s.log")"; continue 2; }
    line="$line $(sed -nE 's/^detection anomalies=.* caught=([0-9]+) .* false_alarms_per_10k=([0-9.]+)$/\1 \2/p' \
      "$out/synth$s.log" | tail -1) $(sed -nE 's/^settling .* per_10k=([0-9.]+)$/(settling \1)/p' \
      "$out/synth$s.log" | tail -1) |"
  done
  echo "$line"
done
