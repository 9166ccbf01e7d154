#!/usr/bin/env python3
"""Make a one-layer container image tar from a root filesystem folder (stdlib only, no registry).

The tar is at the same time an OCI image layout (accepted by `ctr images import`) and a
`docker save` archive (accepted by `docker load`).

usage: mkimage.py ROOTFS REPO:TAG OUT.tar ENTRYPOINT_JSON [CMD_JSON]
  e.g. mkimage.py rootfs ctit.local/busybox:1 busybox.tar '[]' '["/bin/sh"]'
"""
import hashlib
import io
import json
import os
import sys
import tarfile


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob_path(d):
    return "blobs/sha256/" + d.split(":", 1)[1]


def layer_tar(root):
    """Deterministic tar of ROOT: sorted entries, owner root, mtime 0."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for top, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                path = os.path.join(top, name)
                info = tar.gettarinfo(path, os.path.relpath(path, root))
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mtime = 0
                if info.isreg():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return out.getvalue()


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    root, ref, out_path = argv[1], argv[2], argv[3]
    entrypoint = json.loads(argv[4]) or None
    cmd = json.loads(argv[5]) if len(argv) > 5 else None

    layer = layer_tar(root)
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Entrypoint": entrypoint, "Cmd": cmd,
                   "Env": ["PATH=/bin:/usr/bin:/sbin:/usr/sbin"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(layer)]},
        "history": [{"created_by": "tests/containers/mkimage.py"}],
    }, sort_keys=True).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": digest(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": digest(layer), "size": len(layer)}],
    }, sort_keys=True).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": digest(manifest), "size": len(manifest),
        "annotations": {"io.containerd.image.name": ref,
                        "org.opencontainers.image.ref.name": ref.rsplit(":", 1)[1]},
    }]}).encode()
    docker_manifest = json.dumps([{
        "Config": blob_path(digest(config)),
        "RepoTags": [ref],
        "Layers": [blob_path(digest(layer))],
    }]).encode()

    with tarfile.open(out_path, "w") as tar:
        def put(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))

        for d in ("blobs/", "blobs/sha256/"):
            info = tarfile.TarInfo(d)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            tar.addfile(info)
        put("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        for data in (layer, config, manifest):
            put(blob_path(digest(data)), data)
        put("index.json", index)
        put("manifest.json", docker_manifest)
    print(out_path, ref, digest(manifest))


if __name__ == "__main__":
    main(sys.argv)
