//! The text printed on the terminal after each command: a short table of
//! the results (the CSVs hold everything; this is the glance). One module
//! per command; the output tail (`cmd::output`) prints it, then the files
//! written. Names a user typed are shown through `safe_text::for_terminal`.

pub mod compare;
pub mod decide;
pub mod run;
pub mod sensitivity;
pub mod sweep;
