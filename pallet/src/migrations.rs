//! Storage migrations of the module registry.

/// Version 1 → 2: adds [`crate::ModuleHistory`] and [`crate::ModuleStatuses`].
///
/// Both are new maps that start empty, and records keep their layout, so
/// nothing is translated: the migration only moves the storage version, and
/// costs the same at 10 or 100,000 modules (translating every record in one
/// block would not fit a block at that size). A module registered before the
/// upgrade has an empty history until its next change: the commitment covers
/// what happened after the upgrade, and clients say so.
pub mod v2 {
	use crate::{Config, Pallet};
	use frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight};
	#[cfg(feature = "try-runtime")]
	use {
		crate::{ModuleHistory, ModuleStatuses, Modules},
		alloc::vec::Vec,
		codec::{Decode, Encode},
		sp_runtime::TryRuntimeError,
	};

	/// The unversioned step; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			Weight::zero()
		}

		/// A digest of every record, to check none changed.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			Ok(records_digest::<T>().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = <(u64, [u8; 32])>::decode(&mut &state[..])
				.map_err(|_| "pre_upgrade state does not decode")?;
			frame_support::ensure!(records_digest::<T>() == before, "records changed in the migration");
			frame_support::ensure!(
				ModuleHistory::<T>::iter_keys().next().is_none() &&
					ModuleStatuses::<T>::iter_keys().next().is_none(),
				"the new maps start empty"
			);
			Ok(())
		}
	}

	/// How many records there are, and a hash over all of them in storage order.
	#[cfg(feature = "try-runtime")]
	fn records_digest<T: Config>() -> (u64, [u8; 32]) {
		let mut count = 0u64;
		let mut all = Vec::new();
		for (key, record) in Modules::<T>::iter() {
			count += 1;
			(key, record).encode_to(&mut all);
		}
		(count, sp_io::hashing::blake2_256(&all))
	}

	/// Migrates the registry from storage version 1 to 2 (once: keyed on the version).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
