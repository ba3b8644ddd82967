//! Benchmarks of every call, at their worst case.
//!
//! `register_module` is measured with an ecdsa proof (a public-key recovery
//! plus a hash: the slowest of the three schemes) over the `<Bytes>`-wrapped
//! payload, so the bare payload is checked first and fails (two signature
//! checks, the most any proof costs), and the longest CID. The proof is signed
//! through the host's keystore (the benchmark CLI and the mock provide one), so
//! the runtime needs no signing code. Calls that read a module's status run
//! with the largest status (`MaxYanked` revisions, a `MaxNoteLength` note, an
//! offer), and `set_yanked` inserts at the front of a full-but-one list.

use super::*;
use crate::Pallet as ModuleRegistry;
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::crypto::KeyTypeId;
use sp_runtime::{
	traits::{Saturating, StaticLookup},
	MultiSignature,
};

/// The longest allowed CID: a CIDv1 with the widest codec and hash varints.
fn longest_cid<T: Config>(fill: u8) -> CidOf<T> {
	let bytes = cid::cid_v1(cid::CODEC_DAG_JSON, cid::HASH_BLAKE2B_256, &[fill; 32]);
	assert!(bytes.len() as u32 <= T::MaxCidLength::get(), "MaxCidLength fits a CIDv1");
	BoundedVec::try_from(bytes).expect("checked above")
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	// Enough for several of the largest deposits; far from the issuance limit,
	// which deposits into the account are checked against.
	let plenty = ModuleRegistry::<T>::deposit_for(
		T::MaxKeyLength::get() as usize,
		T::MaxCidLength::get() as usize,
	)
	.saturating_mul(100u32.into());
	T::Currency::set_balance(&who, T::Currency::minimum_balance().saturating_add(plenty));
	who
}

/// An ecdsa module key and its proof that `who` may register it.
fn ecdsa_key_and_proof<T: Config>(who: &T::AccountId) -> (ModuleKeyOf<T>, KeyOwnershipProof) {
	const BENCH_KEY: KeyTypeId = KeyTypeId(*b"mreg");
	let public = sp_io::crypto::ecdsa_generate(BENCH_KEY, Some(b"//module-registry-bench".to_vec()));
	let key: Vec<u8> = public.0.to_vec();
	let nonce = ModuleHistory::<T>::get(BoundedVec::<u8, T::MaxKeyLength>::try_from(key.clone()).expect("33 <= MaxKeyLength")).length;
	let payload = proof::payload(ModuleRegistry::<T>::genesis_hash().as_ref(), &who.encode(), &key, nonce);
	let wrapped: Vec<u8> = [&b"<Bytes>"[..], &payload, &b"</Bytes>"[..]].concat();
	let signature = sp_io::crypto::ecdsa_sign(BENCH_KEY, &public, &wrapped)
		.expect("the benchmark keystore holds the key it just generated");
	let signature = MultiSignature::Ecdsa(signature);
	(BoundedVec::try_from(key).expect("33 <= MaxKeyLength"), KeyOwnershipProof::Signature(signature))
}

/// The shortest allowed CID: a CIDv0.
fn shortest_cid<T: Config>() -> CidOf<T> {
	let bytes: Vec<u8> = [0x12, 0x20].into_iter().chain([3u8; 32]).collect();
	BoundedVec::try_from(bytes).expect("a CIDv0 fits MaxCidLength")
}

/// Registers an ecdsa-keyed module with the shortest CID, so an update to the
/// longest one must also raise the held deposit (the worst case).
fn registered<T: Config>(owner: &T::AccountId) -> ModuleKeyOf<T> {
	let (key, key_proof) = ecdsa_key_and_proof::<T>(owner);
	ModuleRegistry::<T>::do_register(owner.clone(), key.clone(), shortest_cid::<T>(), key_proof)
		.expect("registration in benchmark setup works");
	key
}

/// An account a pending offer names that takes no part in the call measured.
fn caller_other<T: Config>() -> T::AccountId {
	funded::<T>("other", 2)
}

/// The longest deprecation note, of 2- and 3-byte UTF-8 characters (the UTF-8 check's worst case).
fn longest_note<T: Config>() -> NoteOf<T> {
	let max = T::MaxNoteLength::get() as usize;
	let mut note = "é€".repeat(max / 5 + 1).into_bytes();
	note.truncate(max);
	while core::str::from_utf8(&note).is_err() {
		note.pop();
	}
	BoundedVec::try_from(note).expect("truncated to MaxNoteLength")
}

/// Gives `key`'s module the largest status: `MaxYanked` revisions yanked
/// (its revision raised to match), the longest note and an offer to `to`.
fn largest_status<T: Config>(owner: &T::AccountId, key: &ModuleKeyOf<T>, to: &T::AccountId) {
	let max = T::MaxYanked::get();
	Modules::<T>::mutate(key, |record| {
		if let Some(record) = record {
			record.revision = max;
		}
	});
	for revision in 1..=max {
		ModuleRegistry::<T>::do_set_yanked(owner.clone(), key.clone(), revision, true)
			.expect("the revision exists and the list has room");
	}
	ModuleRegistry::<T>::do_set_deprecation(owner.clone(), key.clone(), Some(longest_note::<T>()))
		.expect("the owner deprecates");
	ModuleRegistry::<T>::do_offer(owner.clone(), key.clone(), to.clone()).expect("the owner offers");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_module() {
		let caller = funded::<T>("caller", 0);
		let (key, key_proof) = ecdsa_key_and_proof::<T>(&caller);
		let cid = longest_cid::<T>(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key.clone(), cid, key_proof);

		assert_eq!(Modules::<T>::get(&key).map(|r| r.owner), Some(caller));
	}

	#[benchmark]
	fn update_module() {
		let caller = funded::<T>("caller", 0);
		let other = funded::<T>("other", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &other);
		let cid = longest_cid::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), cid.clone());

		assert_eq!(Modules::<T>::get(&key).map(|r| r.cid), Some(cid));
	}

	#[benchmark]
	fn remove_module() {
		let caller = funded::<T>("caller", 0);
		let other = funded::<T>("other", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &other);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone());

		assert!(!Modules::<T>::contains_key(&key));
		assert!(!ModuleStatuses::<T>::contains_key(&key));
	}

	#[benchmark]
	fn transfer_ownership() {
		let caller = funded::<T>("caller", 0);
		let new_owner = funded::<T>("new_owner", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &caller_other::<T>());
		let target = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), target);

		let offer = ModuleStatuses::<T>::get(&key).and_then(|s| s.transfer_offer);
		assert_eq!(offer.map(|o| o.to), Some(new_owner));
	}

	#[benchmark]
	fn accept_ownership() {
		let caller = funded::<T>("caller", 0);
		let new_owner = funded::<T>("new_owner", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &new_owner);

		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner.clone()), key.clone());

		assert_eq!(Modules::<T>::get(&key).map(|r| r.owner), Some(new_owner));
	}

	#[benchmark]
	fn cancel_transfer() {
		let caller = funded::<T>("caller", 0);
		let new_owner = funded::<T>("new_owner", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &new_owner);

		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner), key.clone());

		assert_eq!(ModuleStatuses::<T>::get(&key).and_then(|s| s.transfer_offer), None);
	}

	#[benchmark]
	fn set_yanked() {
		let caller = funded::<T>("caller", 0);
		let other = funded::<T>("other", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &other);
		// Make room for one more, at the front.
		ModuleRegistry::<T>::do_set_yanked(caller.clone(), key.clone(), T::MaxYanked::get(), false)
			.expect("it was yanked");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), 0, true);

		let yanked = ModuleStatuses::<T>::get(&key).map(|s| s.yanked.len() as u32);
		assert_eq!(yanked, Some(T::MaxYanked::get()));
	}

	#[benchmark]
	fn set_deprecation() {
		let caller = funded::<T>("caller", 0);
		let other = funded::<T>("other", 1);
		let key = registered::<T>(&caller);
		largest_status::<T>(&caller, &key, &other);
		ModuleRegistry::<T>::do_set_deprecation(caller.clone(), key.clone(), None).expect("it was deprecated");
		let note = longest_note::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), Some(note.clone()));

		assert_eq!(ModuleStatuses::<T>::get(&key).and_then(|s| s.deprecation), Some(note));
	}

	impl_benchmark_test_suite!(ModuleRegistry, crate::mock::new_test_ext(), crate::mock::Test);
}
