"""Mod-Net's Python client: module records on the registry chain and their metadata on IPFS, verified.

The TypeScript library (``lib/``) is the reference; this package mirrors it:
``ModuleRegistryClient`` (the chain), ``IPFSClient`` (IPFS, every block
hash-checked) and the models in :mod:`modnet.types`.
"""

from .errors import ChainError, IPFSError, MetadataParseError, MetadataValidationError, ModnetError

__all__ = ["ChainError", "IPFSError", "MetadataParseError", "MetadataValidationError", "ModnetError"]
