//! The documents a newcomer reads: short enough, code that copies as it is, links that lead
//! somewhere, and rules cited where they are (`docs/rules.md`), not in an absent spec.

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The Markdown files a reader is sent to.
fn documents() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["README.md", "python/README.md", "CHANGELOG.md"]
        .iter()
        .map(|file| Path::new(ROOT).join(file))
        .collect();
    for entry in std::fs::read_dir(Path::new(ROOT).join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            files.push(path);
        }
    }
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The lines of every fenced block of `lang` in `text`, with their line numbers.
fn fenced(text: &str, lang: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for (number, line) in (1..).zip(text.lines()) {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            inside = !inside && info.trim() == lang;
            continue;
        }
        if inside {
            out.push((number, line.to_owned()));
        }
    }
    out
}

#[test]
fn the_readme_fits_on_a_few_screens() {
    let readme = read(&Path::new(ROOT).join("README.md"));
    let lines = readme.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines");
}

#[test]
fn readme_code_copies_as_it_is() {
    // The README is doc-tested, and a reader copies its blocks: a doctest-hidden line (`# `)
    // would be missing from the page, and `unwrap()` is not how the crate's examples handle
    // errors.
    for file in ["README.md", "python/README.md"] {
        let text = read(&Path::new(ROOT).join(file));
        for (number, line) in fenced(&text, "rust") {
            let code = line.trim_start();
            assert!(
                !(code == "#" || code.starts_with("# ") || code.starts_with("#!")),
                "{file}:{number}: a hidden doctest line: {line}"
            );
            assert!(!code.contains(".unwrap()"), "{file}:{number}: {line}");
        }
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
        } else if !inside && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn relative_links_lead_somewhere() {
    for path in documents() {
        let text = read(&path);
        let dir = path.parent().unwrap();
        for (_, target) in text.match_indices("](").map(|(at, _)| {
            let rest = &text[at + 2..];
            (at, &rest[..rest.find(')').unwrap_or(rest.len())])
        }) {
            if target.starts_with("http") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let linked = if file.is_empty() {
                path.clone()
            } else {
                dir.join(file)
            };
            assert!(
                linked.exists(),
                "{}: link to {target}: no such file",
                path.display()
            );
            if !fragment.is_empty() && linked.extension().is_some_and(|ext| ext == "md") {
                assert!(
                    anchors(&read(&linked)).iter().any(|a| a == fragment),
                    "{}: link to {target}: no such heading",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_docs_cite_the_rules_in_the_repository() {
    // The project's specification is not shipped: a citation must lead to `docs/rules.md`.
    for path in documents() {
        let text = read(&path);
        for (number, line) in (1..).zip(text.lines()) {
            assert!(
                !line.contains("SPEC"),
                "{}:{number}: cites the absent spec: {line}",
                path.display()
            );
        }
    }
    let rules = read(&Path::new(ROOT).join("docs/rules.md"));
    for section in [
        "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "4.1", "4.9",
    ] {
        assert!(
            rules.contains(&format!("### {section} ")),
            "docs/rules.md has no §{section}"
        );
    }
    for section in ["2", "3", "4", "5"] {
        assert!(
            rules.contains(&format!("\n## {section}. ")),
            "docs/rules.md has no §{section}"
        );
    }
}

/// Every `.rs` file under `dir`, at any depth.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// A source file is read in one sitting: none of the crate's, the gateway's or the Python
/// module's passes 800 lines (split by concept when one grows).
#[test]
fn no_source_file_passes_800_lines() {
    let mut files = Vec::new();
    for dir in [
        "src",
        "gateway/src",
        "python/src",
        "tests",
        "benches",
        "examples",
    ] {
        rust_files(&Path::new(ROOT).join(dir), &mut files);
    }
    assert!(files.len() > 50, "{} files found", files.len());
    let long: Vec<String> = files
        .iter()
        .map(|path| (path, read(path).lines().count()))
        .filter(|(_, lines)| *lines > 800)
        .map(|(path, lines)| format!("{}: {lines} lines", path.display()))
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}
