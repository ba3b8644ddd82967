//! Checks this runtime's upgrade against a live chain's state, as try-runtime
//! does: loads a snapshot of the chain's storage, runs the migrations with their
//! pre- and post-upgrade checks, then every pallet's `try_state` and a decode of
//! all storage. `scripts/try-upgrade.ts` takes the snapshot from a node and runs this.
//!
//!   try_upgrade SNAPSHOT.json    (`{ "block": "0x…", "pairs": [["0xkey", "0xvalue"], …] }`)

use frame_try_runtime::UpgradeCheckSelect;
use modnet_runtime::{Executive, VERSION};
use sp_core::{bytes::from_hex, storage::Storage};
use std::process::exit;

fn fail(message: String) -> ! {
	eprintln!("try_upgrade: {message}");
	exit(2)
}

fn main() {
	let path = std::env::args().nth(1).unwrap_or_else(|| fail("usage: try_upgrade SNAPSHOT.json".into()));
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
	let snapshot: serde_json::Value =
		serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{path} is not JSON: {e}")));
	let pairs = snapshot["pairs"].as_array().unwrap_or_else(|| fail(format!("{path} has no \"pairs\" list")));
	let mut storage = Storage::default();
	for pair in pairs {
		let hex = |i: usize| {
			let text = pair[i].as_str().unwrap_or_else(|| fail(format!("a pair in {path} is not two hex strings")));
			from_hex(text).unwrap_or_else(|e| fail(format!("{text:.20}… is not hex: {e}")))
		};
		storage.top.insert(hex(0), hex(1));
	}
	let block = snapshot["block"].as_str().unwrap_or("?").to_owned();
	let mut ext = sp_io::TestExternalities::new(storage);
	match ext.execute_with(|| Executive::try_runtime_upgrade(UpgradeCheckSelect::All)) {
		Ok(weight) => println!(
			"try-runtime: upgrade to spec {} checked against {} keys at block {block}: migrations, their pre/post checks, every pallet's try_state and a decode of all storage pass (weight {weight})",
			VERSION.spec_version,
			pairs.len(),
		),
		Err(error) => {
			eprintln!("try-runtime: the upgrade to spec {} FAILS against block {block}: {error:?}", VERSION.spec_version);
			exit(1)
		},
	}
}
