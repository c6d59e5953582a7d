#!/usr/bin/env bash
# The publication site of record lives on the Git branch `publication`:
# `make site-fetch` unpacks it into $SITE before `abuild publish`, so that
# published editions are verified and kept, never rendered again;
# `make site-push` commits $SITE onto the branch (parent: the branch as it
# was) and pushes it. Plain files in $SITE, a commit built with Git's own
# plumbing (a temporary index): no second checkout, and the push uses the
# repository's own remote and credentials.
set -euo pipefail
cmd=${1:?usage: site-branch.sh fetch|push}
site=${SITE:?SITE is not set}
remote=${SITE_REMOTE:-origin}
branch=${SITE_BRANCH:-publication}

has_branch() { git ls-remote --exit-code --heads "$remote" "$branch" >/dev/null 2>&1; }

case "$cmd" in
fetch)
  if [ -e "$site" ] && [ -n "$(ls -A "$site" 2>/dev/null)" ]; then
    echo "site-fetch: $site is not empty: left as it is" >&2; exit 1
  fi
  mkdir -p "$site"
  if has_branch; then
    git fetch -q "$remote" "$branch"
    git archive --format=tar FETCH_HEAD | tar -x -C "$site"
    echo "site-fetch: the published site of branch $branch ($(git rev-parse --short FETCH_HEAD)) in $site"
  else
    echo "site-fetch: no branch $branch on $remote yet: a new site in $site"
  fi
  ;;
push)
  [ -f "$site/.abuild-site" ] || { echo "site-push: $site is no site of abuild publish" >&2; exit 1; }
  index=$(mktemp)
  trap 'rm -f "$index"' EXIT
  rm -f "$index"
  gitdir=$(git rev-parse --absolute-git-dir)
  (cd "$site" && GIT_DIR=$gitdir GIT_WORK_TREE=. GIT_INDEX_FILE=$index git add -A .)
  tree=$(GIT_INDEX_FILE=$index git write-tree)
  parent=()
  if has_branch; then
    git fetch -q "$remote" "$branch"
    if [ "$(git rev-parse FETCH_HEAD^{tree})" = "$tree" ]; then
      echo "site-push: branch $branch already holds this site"; exit 0
    fi
    parent=(-p FETCH_HEAD)
  fi
  commit=$(git -c user.name="${GIT_AUTHOR_NAME:-abuild publish}" -c user.email="${GIT_AUTHOR_EMAIL:-abuild@localhost}" \
    commit-tree "$tree" "${parent[@]}" -m "abuild publish: $(git describe --tags --always HEAD)")
  git push -q "$remote" "$commit:refs/heads/$branch"
  echo "site-push: branch $branch is now $(git rev-parse --short "$commit")"
  ;;
*) echo "usage: site-branch.sh fetch|push" >&2; exit 2 ;;
esac
