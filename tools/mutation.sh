#!/usr/bin/env bash
# Mutation testing of the clinical core (issue 15 §7), one package at a time, with mutmut (pinned in
# the "test" extra). NOT run by CI: a package takes about 5–15 minutes on 2 cores.
#
#   bash tools/mutation.sh                 # every package below
#   bash tools/mutation.sh targets planning
#
# Each package is mutated in a scratch copy of the repository (mutmut writes a mutants/ tree) and
# each mutant runs only that package's fast tests (the table below), stopping at the first failure.
# Scores go to mutation-report/<package>.txt and a summary to mutation-report/summary.txt;
# survivors are listed there by name (`mutmut show NAME` in the scratch copy shows the diff).
# Mutants judged equivalent (no observable change) are listed with the reason in
# tools/mutation-equivalents.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SCRATCH="${MUTATION_SCRATCH:-/tmp/alignment-planner-mutation}"
REPORT="$ROOT/mutation-report"
CHILDREN="${MUTATION_CHILDREN:-2}"

# package → "files to mutate (globs)|fast tests that guard them"
declare -A PACKAGES=(
  [measurements]="alignment_planner/measurements/*|tests/core/test_golden.py tests/core/test_registry.py tests/core/test_primitives.py tests/core/test_sample_cases.py::test_case_measures_to_its_stored_values tests/core/test_sample_cases.py::test_case_measures_to_its_construction tests/core/test_landmarking_guide.py tests/core/test_mutation_kills_measurements.py tests/core/test_reader_name.py tests/core/test_mutation_kills_reader_names.py"
  [procedures]="alignment_planner/procedures/*|tests/core/test_compensation_and_wedge.py tests/core/test_compensation_release.py tests/core/test_simulation.py tests/core/test_existing_fusion.py tests/core/test_issue15_smaller.py tests/core/test_plausibility.py tests/core/test_mutation_survivors.py tests/core/test_wedge_outline.py tests/core/test_site_pick.py tests/core/test_landmarking_guide.py tests/core/test_procedure_catalogue.py tests/core/test_tdr.py tests/core/test_mutation_kills_procedures.py tests/core/test_mutation_kills_compensation.py tests/core/test_mutation_kills_personal_compensation.py tests/core/test_mutation_kills_wedge.py tests/core/test_mutation_kills_wedge_outline.py tests/core/test_mutation_kills_catalogue.py tests/core/test_mutation_kills_site_pick_conflicts.py tests/core/test_mutation_kills_cut_span.py"
  [targets]="alignment_planner/targets/*|tests/core/test_presets.py tests/core/test_classify.py tests/core/test_ames.py tests/core/test_two_sided_targets.py tests/core/test_issue15_smaller.py tests/core/test_mutation_survivors.py tests/core/test_mutation_kills_targets.py tests/core/test_mutation_kills_overcorrection.py tests/core/test_mutation_kills_printed_overcorrection.py"
  [planning]="alignment_planner/planning/*|tests/core/test_solver.py tests/core/test_two_sided_targets.py tests/core/test_existing_fusion.py tests/core/test_mutation_survivors.py tests/core/test_mutation_kills_planning.py tests/core/test_mutation_kills_solver.py tests/core/test_mutation_kills_solver_ties.py tests/core/test_already_met.py::test_an_aligned_film_meets_the_goal_and_a_flatback_does_not tests/core/test_already_met.py::test_every_goal_must_be_met_and_an_empty_list_is_not_a_yes"
  [uncertainty]="alignment_planner/analysis/uncertainty.py alignment_planner/analysis/error_model.py|tests/core/test_uncertainty.py tests/core/test_error_model.py tests/core/test_mutation_survivors.py tests/core/test_mutation_kills_uncertainty.py"
  [plan_files]="alignment_planner/files/plan_reader.py alignment_planner/files/plan_writer.py|tests/core/test_plan_file.py tests/core/test_facing_and_warnings.py tests/core/test_mutation_survivors.py tests/core/test_mutation_kills_plan_files.py"
  [practice]="alignment_planner/teaching/scoring.py|tests/core/test_practice.py tests/core/test_mutation_survivors.py tests/core/test_mutation_kills_practice.py"
)
ORDER=(measurements procedures targets planning uncertainty plan_files practice)

chosen=("$@")
[ ${#chosen[@]} -eq 0 ] && chosen=("${ORDER[@]}")
mkdir -p "$REPORT"
for package in "${chosen[@]}"; do
  entry="${PACKAGES[$package]:-}"
  if [ -z "$entry" ]; then echo "unknown package $package (known: ${ORDER[*]})" >&2; exit 2; fi
  globs="${entry%%|*}"
  tests="${entry#*|}"
  work="$SCRATCH/$package"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$ROOT" && git ls-files -z | grep -zv 'snapshots/' | xargs -0 cp --parents -t "$work/")
  # Tests that read ../shared/reference (clinical.md, contract.md) find it beside the copy and
  # beside mutmut's mutants/ tree, as they find it beside a worktree.
  if [ -d "$ROOT/../shared" ]; then
    ln -sfn "$(cd "$ROOT/../shared" && pwd)" "$SCRATCH/shared"
    ln -sfn "$(cd "$ROOT/../shared" && pwd)" "$work/shared"
  fi
  only=$(printf '"%s", ' $globs); only="[${only%, }]"
  selection=$(printf '"%s", ' $tests); selection="[${selection%, }]"
  cat >> "$work/pyproject.toml" <<TOML

[tool.mutmut]
source_paths = ["alignment_planner/"]
only_mutate = $only
also_copy = ["sample_cases/", "tools/"]
pytest_add_cli_args_test_selection = $selection
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]
TOML
  echo "== $package: mutating $globs"
  (cd "$work" && "$PY" -m mutmut run --max-children "$CHILDREN" > "$REPORT/$package.log" 2>&1) || true
  (cd "$work" && "$PY" -m mutmut results --all true > "$REPORT/$package.txt" 2>/dev/null) || true
  killed=$(grep -c ': killed' "$REPORT/$package.txt" || true)
  survived=$(grep -c ': survived' "$REPORT/$package.txt" || true)
  untested=$(grep -c ': no tests' "$REPORT/$package.txt" || true)
  other=$(grep -vc ': killed\|: survived\|: no tests' "$REPORT/$package.txt" || true)
  # A mutant no selected test reaches is not killed: it counts against the score.
  total=$((killed + survived + untested))
  score=$([ "$total" -gt 0 ] && echo "scale=1; 100 * $killed / $total" | bc || echo "n/a")
  line="$package: $killed killed, $survived survived, $untested no tests, $other other (timeout/suspicious): $score % killed"
  echo "$line" | tee -a "$REPORT/summary.txt"
done
