//! Runtime API for reading the Mod-Net module registry.
//!
//! Reads are not extrinsics: a client calls `ModuleRegistryApi_get_module`
//! (and friends) through `state_call`, or reads storage directly with a proof.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_module_registry::{HistoryHead, ModuleRecord, ModuleStatus};

/// A module record as the API returns it: the CID as plain bytes.
pub type ModuleInfo<AccountId, BlockNumber, Balance> =
	ModuleRecord<AccountId, Vec<u8>, BlockNumber, Balance>;

/// A module's status as the API returns it: yanked revisions and the note as plain vectors.
pub type StatusInfo<AccountId, BlockNumber> = ModuleStatus<AccountId, BlockNumber, Vec<u32>, Vec<u8>>;

sp_api::decl_runtime_apis! {
	/// Read access to the module registry.
	///
	/// Version 2 adds paged listing: a page costs O(page) in the runtime and
	/// in the call proof a light client checks, however many modules exist.
	/// Version 3 adds a key's history commitment and a module's status (the
	/// runtime declares it on its implementation).
	#[api_version(2)]
	pub trait ModuleRegistryApi<AccountId, BlockNumber, Balance>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Balance: Codec,
	{
		/// The module registered under `key`, if any.
		fn get_module(key: Vec<u8>) -> Option<ModuleInfo<AccountId, BlockNumber, Balance>>;
		/// How many modules are registered.
		fn module_count() -> u64;
		/// Keys of the modules `owner` owns.
		fn modules_of(owner: AccountId) -> Vec<Vec<u8>>;
		/// Up to `limit` (at most 1000) modules with their keys, in storage
		/// order (by the hash of the key), after `start_after` or from the first.
		#[api_version(2)]
		fn modules_page(
			start_after: Option<Vec<u8>>,
			limit: u32,
		) -> Vec<(Vec<u8>, ModuleInfo<AccountId, BlockNumber, Balance>)>;
		/// Like `modules_page`, for the modules `owner` owns.
		#[api_version(2)]
		fn modules_of_page(
			owner: AccountId,
			start_after: Option<Vec<u8>>,
			limit: u32,
		) -> Vec<(Vec<u8>, ModuleInfo<AccountId, BlockNumber, Balance>)>;
		/// The key's history commitment (zero length and head when it never had an event).
		#[api_version(3)]
		fn module_history(key: Vec<u8>) -> HistoryHead;
		/// Yanked revisions, deprecation and pending transfer offer of the module, if any is set.
		#[api_version(3)]
		fn module_status(key: Vec<u8>) -> Option<StatusInfo<AccountId, BlockNumber>>;
	}
}
