"""Benchmark placeholder: the weekly digest for 1,000 subscribers (the digest is not built yet)."""

from __future__ import annotations


def main() -> None:
    # PLACEHOLDER: replace with the digest benchmark once the digest exists (issue 7, item 4).
    print("digest: not built yet")


if __name__ == "__main__":
    main()
