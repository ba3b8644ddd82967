//! A small, `no_std` parser for binary CIDs.
//!
//! The `cid`/`multihash` crates pull in the yanked `core2`, so the registry
//! validates CIDs itself. Only the binary form is accepted on chain (never a
//! multibase string): it is what every CID string decodes to, and it is shorter.
//!
//! Accepted:
//! - CIDv0: the 34-byte sha2-256 multihash `0x12 0x20 <32 bytes>` (implicitly dag-pb).
//! - CIDv1: `varint(1) varint(codec) varint(hash code) varint(digest length) digest`,
//!   with a codec from [`ALLOWED_CODECS`] and a hash from [`ALLOWED_HASHES`].
//!
//! Varints are unsigned LEB128 as multiformats defines them: at most 9 bytes
//! and minimally encoded, so one CID has exactly one binary form.

/// Multicodec code of the raw binary codec.
pub const CODEC_RAW: u64 = 0x55;
/// Multicodec code of dag-pb (UnixFS directories and chunked files).
pub const CODEC_DAG_PB: u64 = 0x70;
/// Multicodec code of dag-cbor.
pub const CODEC_DAG_CBOR: u64 = 0x71;
/// Multicodec code of dag-json.
pub const CODEC_DAG_JSON: u64 = 0x0129;
/// Multicodec code of plain json.
pub const CODEC_JSON: u64 = 0x0200;

/// Multihash code of sha2-256.
pub const HASH_SHA2_256: u64 = 0x12;
/// Multihash code of blake2b-256.
pub const HASH_BLAKE2B_256: u64 = 0xb220;
/// Multihash code of blake3 (used here with its default 32-byte output).
pub const HASH_BLAKE3: u64 = 0x1e;
/// Multihash code of the identity "hash", which embeds data instead of hashing it.
pub const HASH_IDENTITY: u64 = 0x00;

/// Content codecs a module's metadata or artifacts may use.
pub const ALLOWED_CODECS: [u64; 5] =
	[CODEC_RAW, CODEC_DAG_PB, CODEC_DAG_CBOR, CODEC_DAG_JSON, CODEC_JSON];
/// Hash functions accepted, each with the digest length it must have.
pub const ALLOWED_HASHES: [(u64, usize); 3] =
	[(HASH_SHA2_256, 32), (HASH_BLAKE2B_256, 32), (HASH_BLAKE3, 32)];

/// Longest varint multiformats allows (63 bits of payload).
const MAX_VARINT_LEN: usize = 9;

/// Why bytes are not an acceptable CID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidError {
	/// Truncated, overlong, non-minimal varints, wrong digest length or trailing bytes.
	Malformed,
	/// A CID version other than 0 or 1.
	UnsupportedVersion,
	/// A content codec outside [`ALLOWED_CODECS`].
	UnsupportedCodec,
	/// A hash function outside [`ALLOWED_HASHES`] (the identity hash included).
	UnsupportedHash,
}

/// The parts of a valid CID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedCid<'a> {
	/// 0 or 1.
	pub version: u8,
	/// Multicodec of the content (dag-pb for CIDv0).
	pub codec: u64,
	/// Multihash code.
	pub hash: u64,
	/// The digest bytes.
	pub digest: &'a [u8],
}

/// Parses a binary CID, accepting only the allowed versions, codecs and hashes.
pub fn parse(bytes: &[u8]) -> Result<ParsedCid<'_>, CidError> {
	// CIDv0 is a bare sha2-256 multihash; a CIDv1 never starts with 0x12 because
	// its first varint is the version.
	if bytes.first() == Some(&0x12) {
		return match bytes {
			[0x12, 0x20, digest @ ..] if digest.len() == 32 =>
				Ok(ParsedCid { version: 0, codec: CODEC_DAG_PB, hash: HASH_SHA2_256, digest }),
			_ => Err(CidError::Malformed),
		};
	}
	let mut rest = bytes;
	let version = read_varint(&mut rest)?;
	if version != 1 {
		return Err(CidError::UnsupportedVersion);
	}
	let codec = read_varint(&mut rest)?;
	if !ALLOWED_CODECS.contains(&codec) {
		return Err(CidError::UnsupportedCodec);
	}
	let hash = read_varint(&mut rest)?;
	let expected_len = ALLOWED_HASHES
		.iter()
		.find(|(code, _)| *code == hash)
		.map(|(_, len)| *len)
		.ok_or(CidError::UnsupportedHash)?;
	let digest_len = read_varint(&mut rest)?;
	if digest_len != expected_len as u64 || rest.len() != expected_len {
		return Err(CidError::Malformed);
	}
	Ok(ParsedCid { version: 1, codec, hash, digest: rest })
}

/// Reads one minimal unsigned LEB128 varint and advances `input` past it.
fn read_varint(input: &mut &[u8]) -> Result<u64, CidError> {
	let mut value: u64 = 0;
	for (i, &byte) in input.iter().enumerate().take(MAX_VARINT_LEN) {
		value |= u64::from(byte & 0x7f) << (7 * i);
		if byte & 0x80 == 0 {
			// A final zero byte after others means the same value had a shorter form.
			if byte == 0 && i > 0 {
				return Err(CidError::Malformed);
			}
			*input = &input[i + 1..];
			return Ok(value);
		}
	}
	// Ran out of input, or longer than 9 bytes.
	Err(CidError::Malformed)
}

/// Encodes `value` as an unsigned LEB128 varint (for tests and benchmarks).
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub fn write_varint(mut value: u64, out: &mut alloc::vec::Vec<u8>) {
	loop {
		let byte = (value & 0x7f) as u8;
		value >>= 7;
		if value == 0 {
			out.push(byte);
			return;
		}
		out.push(byte | 0x80);
	}
}

/// Builds a binary CIDv1 from its parts (for tests and benchmarks).
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub fn cid_v1(codec: u64, hash: u64, digest: &[u8]) -> alloc::vec::Vec<u8> {
	let mut out = alloc::vec::Vec::new();
	write_varint(1, &mut out);
	write_varint(codec, &mut out);
	write_varint(hash, &mut out);
	write_varint(digest.len() as u64, &mut out);
	out.extend_from_slice(digest);
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec::Vec;
	use proptest::prelude::*;

	fn hex(s: &str) -> Vec<u8> {
		(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
	}

	#[test]
	fn parses_known_cids() {
		// bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku: raw, sha2-256 of "hello world".
		let v1 = hex("01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
		let parsed = parse(&v1).unwrap();
		assert_eq!((parsed.version, parsed.codec, parsed.hash), (1, CODEC_RAW, HASH_SHA2_256));
		assert_eq!(parsed.digest, &v1[4..]);
		// A CIDv0: the bare sha2-256 multihash.
		let v0 = hex("12207d5a99f603f231d53a4f39d1521f98d2e8bb279cf29bebfd0687dc98458e7f89");
		assert_eq!(parse(&v0).unwrap().version, 0);
		// dag-json with a two-byte codec varint and blake2b-256 with a three-byte hash varint.
		let json = cid_v1(CODEC_DAG_JSON, HASH_BLAKE2B_256, &[7; 32]);
		assert_eq!(&json[..6], &[0x01, 0xa9, 0x02, 0xa0, 0xe4, 0x02]);
		assert_eq!(parse(&json).unwrap().codec, CODEC_DAG_JSON);
		for codec in ALLOWED_CODECS {
			for (hash, len) in ALLOWED_HASHES {
				assert!(parse(&cid_v1(codec, hash, &alloc::vec![1; len])).is_ok());
			}
		}
	}

	#[test]
	fn rejects_bad_cids() {
		let good = cid_v1(CODEC_RAW, HASH_SHA2_256, &[1; 32]);
		let mut trailing = good.clone();
		trailing.push(0);
		let cases: Vec<(Vec<u8>, CidError)> = alloc::vec![
			(Vec::new(), CidError::Malformed),
			(good[..good.len() - 1].to_vec(), CidError::Malformed),
			(trailing, CidError::Malformed),
			(hex("1220"), CidError::Malformed),
			(hex("1221").into_iter().chain([0; 33]).collect(), CidError::Malformed),
			(cid_v1(CODEC_RAW, HASH_SHA2_256, &[1; 31]), CidError::Malformed),
			(cid_v1(CODEC_RAW, HASH_SHA2_256, &[1; 64]), CidError::Malformed),
			(cid_v1(CODEC_RAW, HASH_IDENTITY, b"inline"), CidError::UnsupportedHash),
			(cid_v1(CODEC_RAW, 0x13, &[1; 64]), CidError::UnsupportedHash), // sha2-512
			(cid_v1(0x78, HASH_SHA2_256, &[1; 32]), CidError::UnsupportedCodec), // git-raw
			([2u8].into_iter().chain(good[1..].iter().copied()).collect(), CidError::UnsupportedVersion),
			([0u8].into_iter().chain(good[1..].iter().copied()).collect(), CidError::UnsupportedVersion),
			// The version 1 written non-minimally as 0x81 0x00.
			([0x81, 0x00].into_iter().chain(good[1..].iter().copied()).collect(), CidError::Malformed),
			// A varint that never ends.
			(alloc::vec![0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], CidError::Malformed),
		];
		for (bytes, expected) in cases {
			assert_eq!(parse(&bytes), Err(expected), "{bytes:02x?}");
		}
	}

	#[test]
	fn varint_round_trips() {
		for value in [0u64, 1, 127, 128, 300, 0xb220, u32::MAX as u64, (1 << 63) - 1] {
			let mut out = Vec::new();
			write_varint(value, &mut out);
			let mut slice = &out[..];
			assert_eq!(read_varint(&mut slice), Ok(value));
			assert!(slice.is_empty());
		}
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(20_000))]

		/// Fuzzing: the parser never panics, and whatever it accepts re-encodes to the same bytes.
		#[test]
		fn never_panics_and_accepts_only_canonical(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
			if let Ok(cid) = parse(&bytes) {
				let again = if cid.version == 0 {
					[0x12, 0x20].into_iter().chain(cid.digest.iter().copied()).collect()
				} else {
					cid_v1(cid.codec, cid.hash, cid.digest)
				};
				prop_assert_eq!(again, bytes);
			}
		}

		/// Mutating one byte of a valid CID never panics.
		#[test]
		fn mutations_never_panic(index in 0usize..36, byte in any::<u8>()) {
			let mut cid = cid_v1(CODEC_DAG_PB, HASH_SHA2_256, &[9; 32]);
			let i = index % cid.len();
			cid[i] = byte;
			let _ = parse(&cid);
		}
	}
}
