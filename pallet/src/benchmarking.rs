//! Benchmarks of every call, at their worst case.
//!
//! `register_module` is measured with an ecdsa proof (a public-key recovery
//! plus a hash: the slowest of the three schemes) and the longest CID. The
//! proof is signed through the host's keystore (the benchmark CLI and the mock
//! provide one), so the runtime needs no signing code.

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
	let payload = proof::payload(ModuleRegistry::<T>::genesis_hash().as_ref(), &who.encode(), &key);
	let signature = sp_io::crypto::ecdsa_sign(BENCH_KEY, &public, &payload)
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
		let key = registered::<T>(&caller);
		let cid = longest_cid::<T>(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), cid.clone());

		assert_eq!(Modules::<T>::get(&key).map(|r| r.cid), Some(cid));
	}

	#[benchmark]
	fn remove_module() {
		let caller = funded::<T>("caller", 0);
		let key = registered::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone());

		assert!(!Modules::<T>::contains_key(&key));
	}

	#[benchmark]
	fn transfer_ownership() {
		let caller = funded::<T>("caller", 0);
		let new_owner = funded::<T>("new_owner", 1);
		let key = registered::<T>(&caller);
		let target = T::Lookup::unlookup(new_owner.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key.clone(), target);

		assert_eq!(Modules::<T>::get(&key).map(|r| r.owner), Some(new_owner));
	}

	impl_benchmark_test_suite!(ModuleRegistry, crate::mock::new_test_ext(), crate::mock::Test);
}
