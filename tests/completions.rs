//! Shell completions, the man page and `--help`: all generated from the
//! clap definition, so they are checked against it. The bash script is
//! sourced in a real bash and asked to complete; the man page is rendered
//! with `man -l` where `man` is installed.

mod common;

use clap::CommandFactory;
use common::inmail_sim;
use inmail_sim::cli::Cli;
use std::fs;
use std::process::Command;
use tempfile::TempDir;

/// Every subcommand's name, from the clap definition (so a new subcommand
/// is covered without touching this file).
fn subcommands() -> Vec<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    names
}

fn stdout_of(args: &[&str]) -> String {
    let out = inmail_sim().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Sources the bash script and runs its completion function on `words`
/// (the last one being completed); returns the candidates.
fn bash_complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = words[cword - 1];
    let program = format!(
        "source '{}'\n\
         fn=$(complete -p inmail-sim | sed -E 's/.*-F ([^ ]+).*/\\1/')\n\
         COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         \"$fn\" inmail-sim '{}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words[cword],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn the_bash_script_is_valid_bash_and_completes_subcommands_and_their_options() {
    let tmp = TempDir::new().unwrap();
    let script = tmp.path().join("inmail-sim.bash");
    fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "bash -n: {check:?}");

    assert_eq!(bash_complete(&script, &["inmail-sim", "ru"]), ["run"]);
    let no = bash_complete(&script, &["inmail-sim", "run", "--no-"]);
    assert!(no.contains(&"--no-charts".to_string()), "{no:?}");
    assert!(no.iter().all(|o| o.starts_with("--no-")), "{no:?}");
    let keep = bash_complete(&script, &["inmail-sim", "run", "--kee"]);
    assert_eq!(keep, ["--keep-partial"]);
    // Control: the option belongs to run, so plans does not offer it.
    assert!(bash_complete(&script, &["inmail-sim", "plans", "--kee"]).is_empty());
}

#[test]
fn the_zsh_fish_elvish_and_powershell_scripts_mention_every_subcommand() {
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for sub in subcommands() {
            assert!(script.contains(&sub), "{shell}: {sub}");
        }
        // fish spells it `-l keep-partial`.
        assert!(script.contains("keep-partial"), "{shell}");
        if shell == "zsh" || shell == "fish" {
            syntax_check(shell, &script);
        }
    }
}

/// `zsh -n` / `fish -n` on the script, where that shell is installed (it
/// is not needed to build or test; the checks above do not depend on it).
fn syntax_check(shell: &str, script: &str) {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("script");
    fs::write(&file, script).unwrap();
    match Command::new(shell).arg("-n").arg(&file).output() {
        Ok(out) => assert!(out.status.success(), "{shell} -n: {out:?}"),
        Err(_) => println!("note: {shell} is not installed; its script's syntax was not checked"),
    }
}

#[test]
fn an_unknown_shell_is_refused_with_exit_code_2_and_the_list_of_shells() {
    inmail_sim()
        .args(["completions", "ksh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "bash, elvish, fish, powershell, zsh",
        ));
}

#[test]
fn the_man_page_has_a_section_for_every_subcommand_and_renders_with_man() {
    let page = stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "not roff"
    );
    for sub in subcommands() {
        let heading = format!(".SH \"INMAIL-SIM {}\"", sub.to_uppercase());
        assert!(page.contains(&heading), "{heading}");
    }
    assert!(page.contains("keep\\-partial"), "run's options are listed");

    let Ok(version) = Command::new("man").arg("--version").output() else {
        println!("note: `man` is not installed; the page was not rendered");
        return;
    };
    assert!(version.status.success());
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("inmail-sim.1");
    fs::write(&file, &page).unwrap();
    let out = Command::new("man")
        .args(["-P", "cat", "-l"])
        .arg(&file)
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    assert!(out.status.success(), "man -l: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in subcommands() {
        let title = format!("INMAIL-SIM {}", sub.to_uppercase());
        assert!(text.contains(&title), "{title} in\n{text}");
    }
    assert!(text.contains("EXAMPLES AND EXIT STATUS"), "{text}");
}

#[test]
fn every_help_text_has_examples_and_the_exit_status() {
    let mut helps = vec![("inmail-sim".to_string(), stdout_of(&["--help"]))];
    for sub in subcommands() {
        helps.push((sub.clone(), stdout_of(&[&sub, "--help"])));
    }
    for (name, help) in helps {
        assert!(help.contains("Example"), "{name}:\n{help}");
        assert!(help.contains("Exit status"), "{name}:\n{help}");
    }
}
