#!/usr/bin/env bash
# Refreshes the pinned copy of the cruijff_kit v0.3.4 files the tests run unchanged
# (tests/Contract/cruijff_kit-v0.3.4/): its schema test, its reference plan with the task script
# and data it names, the plan template, and the scripts whose inputs and outputs ours must match.
# CI reaches no source host, so the tests read this copy; this script is how it is refreshed.
#
#   tools/contract/pin_cruijff_kit.sh [GIT_DIR]
#
# GIT_DIR is a clone (bare is fine) of github.com/niznik-dev/cruijff_kit holding tag v0.3.4
# (default: /work/.mirror/niznik-dev+cruijff_kit/repo). Files are copied byte for byte with
# `git show`; a tag that no longer names the pinned commit stops the script.
set -euo pipefail
cd "$(dirname "$0")/../.."
git_dir=${1:-/work/.mirror/niznik-dev+cruijff_kit/repo}
tag=v0.3.4
commit=018e804cce830f920674907d34bf13160727d451
out=tests/Contract/cruijff_kit-v0.3.4
files=(
    LICENSE
    tests/unit/test_experiment_summary_schema.py
    tests/fixtures/design/experiment_summary.yaml
    tests/fixtures/data/words_5L_80P_10.json
    blueprints/capitalization/inspect_task.py
    .claude/skills/design-experiment/templates/experiment_summary.yaml
    src/tools/inspect/viz_helpers.py
    src/tools/inspect/setup_inspect.py
    src/tools/torchtune/setup_finetune.py
)

found=$(git --git-dir="$git_dir" rev-parse "$tag")
if [[ $found != "$commit" ]]; then
    echo "pin_cruijff_kit.sh: $tag is $found in $git_dir, not the pinned $commit; update 'commit' here after reviewing the change" >&2
    exit 1
fi

for file in "${files[@]}"; do
    mkdir -p "$out/$(dirname "$file")"
    git --git-dir="$git_dir" show "$commit:$file" > "$out/$file"
done
echo "pinned ${#files[@]} files of cruijff_kit $tag ($commit) into $out"
