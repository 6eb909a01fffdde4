//! The Debian package, built from the test build's binary by `scripts/build-deb.sh` and installed
//! for real with dpkg (root only, as CI runs; skipped where the package is installed already, so
//! that a user's own install is never touched): its desktop entry and AppStream metainfo
//! validate, its man page renders with every subcommand, bash completes its subcommands, and
//! removing and purging it leaves none of its files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success())
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_package_installs_validates_documents_completes_and_leaves_nothing() {
    let required = std::env::var("POMODOUROBOROS_REQUIRE_WINDOW_TEST").is_ok_and(|v| v == "1");
    let root = run(Command::new("id").arg("-u")).trim() == "0";
    let tools = ["dpkg", "dpkg-deb", "desktop-file-validate", "appstreamcli", "man", "bash"];
    let missing: Vec<&str> = tools.into_iter().filter(|t| !have(t)).collect();
    if !root || !missing.is_empty() {
        assert!(!required || root, "./test.sh runs as root in CI");
        assert!(!required || missing.is_empty(), "missing {missing:?}: run ./test.sh, which installs them");
        eprintln!("skipped: the package test installs with dpkg (root) and needs {tools:?}");
        return;
    }
    if Command::new("dpkg").args(["-s", "pomodouroboros"]).output().unwrap().status.success() {
        eprintln!("skipped: pomodouroboros is installed on this machine; its package is left alone");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/build-deb.sh");
    let deb = run(Command::new(&script)
        .arg(env!("CARGO_BIN_EXE_pomodouroboros"))
        .arg(out.path())
        .env("DEB_COMPRESSION", "none"));
    let deb = PathBuf::from(deb.trim());
    let info = run(Command::new("dpkg-deb").arg("--info").arg(&deb));
    assert!(info.contains("Package: pomodouroboros") && info.contains("Depends: libc6"), "{info}");

    run(Command::new("dpkg").arg("-i").arg(&deb));
    let files: Vec<PathBuf> = run(Command::new("dpkg").args(["-L", "pomodouroboros"]))
        .lines()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    let removed = std::panic::catch_unwind(|| {
        for want in [
            "/usr/bin/pomodouroboros",
            "/usr/share/applications/pomodouroboros.desktop",
            "/usr/share/icons/hicolor/48x48/apps/pomodouroboros.png",
            "/usr/share/metainfo/io.github.pomodouroboros.Pomodouroboros.metainfo.xml",
            "/usr/share/man/man1/pomodouroboros.1.gz",
            "/usr/share/bash-completion/completions/pomodouroboros",
            "/usr/share/zsh/vendor-completions/_pomodouroboros",
            "/usr/share/fish/vendor_completions.d/pomodouroboros.fish",
            "/usr/share/doc/pomodouroboros/copyright",
        ] {
            assert!(files.contains(&PathBuf::from(want)), "{want} in {files:?}");
        }
        run(Command::new("desktop-file-validate").arg("/usr/share/applications/pomodouroboros.desktop"));
        run(Command::new("appstreamcli").args([
            "validate",
            "--no-net",
            "/usr/share/metainfo/io.github.pomodouroboros.Pomodouroboros.metainfo.xml",
        ]));
        // The page renders, with a section for every subcommand.
        let page = run(Command::new("man")
            .args(["-l", "/usr/share/man/man1/pomodouroboros.1.gz"])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "100"));
        for sub in [
            "status",
            "intend",
            "plan",
            "start-now",
            "rate",
            "journal",
            "export",
            "stats",
            "desktop",
            "window",
            "completions",
            "man",
        ] {
            assert!(page.contains(&format!("pomodouroboros {sub}")), "{sub} in the man page:\n{page}");
        }
        // bash completes `pomodouroboros st<TAB>` to the subcommands starting so.
        let completed = run(Command::new("bash").arg("-c").arg(
            "source /usr/share/bash-completion/completions/pomodouroboros; \
             COMP_WORDS=(pomodouroboros st); COMP_CWORD=1; COMP_LINE='pomodouroboros st'; COMP_POINT=17; \
             _pomodouroboros pomodouroboros st pomodouroboros; echo \"${COMPREPLY[@]}\"",
        ));
        let words: Vec<&str> = completed.split_whitespace().collect();
        for want in ["status", "stats", "start-now"] {
            assert!(words.contains(&want), "{want} in {words:?}");
        }
    });
    run(Command::new("dpkg").args(["-r", "pomodouroboros"]));
    run(Command::new("dpkg").args(["-P", "pomodouroboros"]));
    let left: Vec<&PathBuf> = files.iter().filter(|p| p.exists()).collect();
    assert!(left.is_empty(), "left after purge: {left:?}");
    assert!(!Command::new("dpkg").args(["-s", "pomodouroboros"]).output().unwrap().status.success());
    if let Err(e) = removed {
        std::panic::resume_unwind(e);
    }
}
