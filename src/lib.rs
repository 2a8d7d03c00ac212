//! wirecopy: fetch news outlets, clean pages to article text, cluster reprints
//! of wire copy and report them.
//!
//! # Brief overview
//!
//! Data flows one way: `config → fetch → clean → dedup → store → report`.
//! Each stage is a module with a small typed interface:
//!
//! * [`clean`] turns page bytes into an [`clean::Article`];
//! * [`dedup`] fingerprints articles and groups reprints into clusters.
//!
//! Two HTTP servers sit beside the pipeline, on one axum/hyper stack:
//! [`web`], the review app of `wirecopy serve`, and [`sites`], the fixture
//! outlets the demo, tests and benchmarks fetch from.
#![deny(missing_docs)]

pub mod archive;
pub mod clean;
pub mod config;
pub mod dedup;
pub mod fetch;
pub mod pipeline;
pub mod report;
pub mod sites;
pub mod store;
pub mod web;
