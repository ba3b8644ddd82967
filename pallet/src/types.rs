//! Types stored and passed by the module registry.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::MultiSignature;

use crate::Config;
use alloc::vec::Vec;

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

/// A deprecation note: why a module should no longer be used, and what to use instead (UTF-8).
pub type NoteOf<T> = BoundedVec<u8, <T as Config>::MaxNoteLength>;
/// The status kept beside a record, for runtime `T`.
pub type ModuleStatusOf<T> = ModuleStatus<
	AccountIdOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	BoundedVec<u32, <T as Config>::MaxYanked>,
	NoteOf<T>,
>;

/// A commitment to every change a module key has seen: a hash chain over the
/// pallet's events for the key, in order.
///
/// `head` starts as 32 zero bytes and each event `e` in block `n` makes it
/// `blake2_256(head ‖ SCALE(n) ‖ SCALE(e))` (`e` as this pallet's `Event`, its
/// variant index first). A client that holds the events (from any source, an
/// archive or an indexer it does not trust) and reads this value with one
/// storage proof at a finalized block proves every one of them, however far
/// back, with no state of the blocks they happened in: the chain of hashes
/// from the oldest given event's predecessor `head` must end at this one.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct HistoryHead {
	/// How many events the chain covers; also the nonce a key-ownership proof
	/// binds, so each proof can be used once.
	pub length: u32,
	/// The hash after the last event; zero before the first.
	pub head: [u8; 32],
}

impl HistoryHead {
	/// The head after `event` (already SCALE-encoded) in block `block` (SCALE-encoded).
	pub fn next(&self, block: &[u8], event: &[u8]) -> Self {
		let mut input = Vec::with_capacity(32 + block.len() + event.len());
		input.extend_from_slice(&self.head);
		input.extend_from_slice(block);
		input.extend_from_slice(event);
		Self { length: self.length.saturating_add(1), head: sp_io::hashing::blake2_256(&input) }
	}
}

/// An offer of a module to another account, which it must accept (two-step transfer).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct TransferOffer<AccountId, BlockNumber> {
	/// The only account that may accept.
	pub to: AccountId,
	/// The last block in which it can be accepted.
	pub expires_at: BlockNumber,
}

/// What an owner has said about a module besides its CID: yanked revisions, a
/// deprecation note, a pending transfer. Kept beside the record (not in it) so
/// adding it needed no migration of every record; removed with the record.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ModuleStatus<AccountId, BlockNumber, Yanked, Note> {
	/// Revisions the owner yanked, ascending: hidden from "latest", still
	/// resolvable by CID.
	pub yanked: Yanked,
	/// Set when the owner deprecated the whole module.
	pub deprecation: Option<Note>,
	/// A transfer the owner offered and the recipient has not accepted yet.
	pub transfer_offer: Option<TransferOffer<AccountId, BlockNumber>>,
}

// Not derived: that would need `AccountId: Default`.
impl<AccountId, BlockNumber, Yanked: Default, Note> Default
	for ModuleStatus<AccountId, BlockNumber, Yanked, Note>
{
	fn default() -> Self {
		Self { yanked: Yanked::default(), deprecation: None, transfer_offer: None }
	}
}

impl<AccountId, BlockNumber, Yanked: Default + PartialEq, Note>
	ModuleStatus<AccountId, BlockNumber, Yanked, Note>
{
	/// Whether nothing is set (then the entry is not stored).
	pub fn is_empty(&self) -> bool {
		self.yanked == Yanked::default() && self.deprecation.is_none() && self.transfer_offer.is_none()
	}
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
