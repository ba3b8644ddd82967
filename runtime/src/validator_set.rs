//! The validator set, managed on chain.
//!
//! Governance keeps the list of validator accounts in `ValidatorSet` (an
//! instance of `pallet-membership`). Each validator puts its Aura and GRANDPA
//! keys on chain with `session.set_keys`. At every session boundary
//! `pallet-session` asks [`MembershipSessionManager`] for the set of the
//! session after next, so a change made by governance authors from the second
//! session boundary after it. Aura switches authorities when that session
//! starts; GRANDPA is told through the standard `ScheduledChange` digest,
//! which is what full nodes, warp sync and light clients follow.

use crate::{AccountId, BlockNumber, Runtime, MINUTES};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{parameter_types, traits::EnsureOrigin};

/// The fewest validators governance may shrink the set to: four is the
/// smallest set in which GRANDPA still finalizes with one validator down
/// (it needs more than two thirds). Adding and swapping are always allowed,
/// so a chain that starts smaller (the one-validator dev chain) can grow.
pub const MIN_VALIDATORS: u32 = 4;

/// The most validators the set may hold (Aura's and GRANDPA's `MaxAuthorities`).
pub const MAX_VALIDATORS: u32 = 32;

parameter_types! {
	/// Blocks per session: how long a validator-set change waits at most
	/// (between one and two sessions). A `storage` parameter so that a
	/// network's genesis may set it (key `twox128(":SessionLength:")`, a
	/// SCALE `u32`); `chain-spec/new-network.ts` writes it.
	pub storage SessionLength: BlockNumber = 10 * MINUTES;
	/// Sessions start at block 0 of each period.
	pub const SessionOffset: BlockNumber = 0;
}

/// Storage of the validator membership.
pub type ValidatorMembers = pallet_membership::Members<Runtime, pallet_membership::Instance1>;

/// The accounts governance has made validators and that have session keys.
/// Members without keys are left out: they could not author anyway.
pub fn members_with_keys() -> Vec<AccountId> {
	ValidatorMembers::get()
		.into_iter()
		.filter(|who| pallet_session::NextKeys::<Runtime>::contains_key(who))
		.collect()
}

/// Feeds `pallet-session` from the validator membership.
pub struct MembershipSessionManager;

impl pallet_session::SessionManager<AccountId> for MembershipSessionManager {
	fn new_session(_index: u32) -> Option<Vec<AccountId>> {
		let next = members_with_keys();
		if next.is_empty() {
			// Never plan an empty set: the chain could not author or finalize again.
			log::warn!(target: "runtime::validator-set", "no validator has session keys; keeping the current set");
			return None;
		}
		let queued: Vec<AccountId> =
			pallet_session::QueuedKeys::<Runtime>::get().into_iter().map(|(who, _)| who).collect();
		// `Some` makes GRANDPA schedule a new authority set, so only answer it for a real change.
		(next != queued).then_some(next)
	}

	fn new_session_genesis(_index: u32) -> Option<Vec<AccountId>> {
		let members = members_with_keys();
		(!members.is_empty()).then_some(members)
	}

	fn end_session(_index: u32) {}
	fn start_session(_index: u32) {}
}

/// Lets `Inner` remove a validator only while the set is above [`MIN_VALIDATORS`].
/// A removal at the minimum fails with `BadOrigin`: the origin may not shrink the set
/// further (`swap_member` replaces a validator without shrinking it).
pub struct EnsureAboveMinimum<Inner>(PhantomData<Inner>);

impl<O, Inner: EnsureOrigin<O>> EnsureOrigin<O> for EnsureAboveMinimum<Inner> {
	type Success = Inner::Success;

	fn try_origin(origin: O) -> Result<Self::Success, O> {
		let size = ValidatorMembers::decode_len().unwrap_or(0) as u32;
		if size <= MIN_VALIDATORS {
			return Err(origin);
		}
		Inner::try_origin(origin)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Inner::try_successful_origin()
	}
}
