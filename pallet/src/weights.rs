//! Weights for `pallet_module_registry`.
//!
//! PROVISIONAL: these numbers have not yet been produced by a benchmark run on
//! the reference machine. Regenerate with `make weights` (see BUILDING.md),
//! which runs:
//!
//! ```text
//! modnet-node benchmark pallet --runtime <modnet_runtime.wasm> \
//!   --genesis-builder=runtime --pallet pallet_module_registry --extrinsic '*' \
//!   --steps 50 --repeat 20 --output pallet/src/weights.rs --template .maintain/frame-weight-template.hbs
//! ```
//!
//! Until then the storage terms are exact (counted from the code) and the
//! compute terms are conservative upper estimates.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_module_registry`.
pub trait WeightInfo {
	fn register_module() -> Weight;
	fn update_module() -> Weight;
	fn remove_module() -> Weight;
	fn transfer_ownership() -> Weight;
}

/// Weights for `pallet_module_registry` using the node's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `ModuleRegistry::Modules` (r:1 w:1), `ModuleRegistry::OwnedModuleCount` (r:1 w:1),
	/// `System::BlockHash` (r:1 w:0), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `ModuleRegistry::ModuleCount` (r:1 w:1), `ModuleRegistry::OwnerModules` (r:0 w:1)
	fn register_module() -> Weight {
		Weight::from_parts(120_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `ModuleRegistry::Modules` (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1)
	fn update_module() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ModuleRegistry::Modules` (r:1 w:1), `Balances::Holds` (r:1 w:1), `System::Account` (r:1 w:1),
	/// `ModuleRegistry::ModuleCount` (r:1 w:1), `ModuleRegistry::OwnerModules` (r:0 w:1),
	/// `ModuleRegistry::OwnedModuleCount` (r:1 w:1)
	fn remove_module() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	/// Storage: `ModuleRegistry::Modules` (r:1 w:1), `ModuleRegistry::OwnedModuleCount` (r:2 w:2),
	/// `Balances::Holds` (r:2 w:2), `System::Account` (r:2 w:2), `ModuleRegistry::OwnerModules` (r:0 w:2)
	fn transfer_ownership() -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
}

// For tests: the same shape on RocksDB's reference weights.
impl WeightInfo for () {
	fn register_module() -> Weight {
		Weight::from_parts(120_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn update_module() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn remove_module() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn transfer_ownership() -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
}
