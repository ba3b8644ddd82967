//! Types stored and passed by the module registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::MultiSignature;

use crate::Config;

/// The most records one page of [`crate::Pallet::modules_page`] returns: a
/// page is read in one runtime call, and a light client downloads its proof.
pub const MAX_PAGE: u32 = 1000;

/// An account of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// The balance type of the deposit currency.
pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<AccountIdOf<T>>>::Balance;
/// A module's public key: 32 bytes (sr25519, ed25519) or 33 bytes (compressed ecdsa).
pub type ModuleKeyOf<T> = BoundedVec<u8, <T as Config>::MaxKeyLength>;
/// A CID in its binary form (not a multibase string).
pub type CidOf<T> = BoundedVec<u8, <T as Config>::MaxCidLength>;
/// The record as stored for runtime `T`.
pub type ModuleRecordOf<T> = ModuleRecord<
	AccountIdOf<T>,
	CidOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	BalanceOf<T>,
>;

/// What the registry knows about one module.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ModuleRecord<AccountId, Cid, BlockNumber, Balance> {
	/// The only account that may update, remove or transfer the module.
	pub owner: AccountId,
	/// Binary CID of the module's metadata document on IPFS.
	pub cid: Cid,
	/// 0 at registration, incremented by every update.
	pub revision: u32,
	/// Block in which the module was registered.
	pub registered_at: BlockNumber,
	/// Block of the last registration or update.
	pub updated_at: BlockNumber,
	/// Deposit held from `owner` for this record; released to the owner on removal.
	pub deposit: Balance,
}

/// Proof that the account registering a module controls the module's key.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum KeyOwnershipProof {
	/// The module key is the signer's own account public key (32 bytes): the
	/// transaction signature already proves control of it.
	SignerIsKey,
	/// A signature by the module key over [`crate::proof::payload`]. sr25519 and
	/// ed25519 keys are 32 bytes, ecdsa keys 33 bytes (compressed).
	Signature(MultiSignature),
}
