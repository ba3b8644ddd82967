//! Command-line interface. Doc comments become `--help`.

use sc_cli::RunCmd;

/// The Mod-Net node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	/// GRANDPA's gossip period in milliseconds. A voting round lasts about
	/// four of them (prevote after two, precommit after four), so this sets
	/// how soon a block is finalized. 125 suits 1 s blocks on a network whose
	/// validators are a few tens of milliseconds apart; raise it for validators
	/// spread over continents (Substrate's default is 333 for 6 s blocks).
	#[arg(long, value_name = "MS", default_value_t = 125, value_parser = clap::value_parser!(u64).range(50..=5000))]
	pub grandpa_gossip_ms: u64,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Export a chain spec (`--raw` for the form light clients boot from).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmark runtime pallets (needs `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
