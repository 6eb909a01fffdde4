//! No import circles between the files of `src/`: every `crate::…`, `super::…` and `self::…` path
//! in a file (outside its tests) is an edge to the deepest module it names, and the graph of those
//! edges must have no cycle. A module's references to its own submodules (declaring them,
//! re-exporting them, adding their plugins) are containment, not imports, and are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every `.rs` file under `dir`, by its module path (`shell/ui/mod.rs` is `shell::ui`).
fn modules(root: &Path, dir: &Path, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            modules(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Module = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                parts.pop();
            }
            out.insert(parts, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The source without comments and without the test module at its end.
fn code_of(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    source.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths that `text` (just after a `crate`, `super` or `self` keyword) continues with: one
/// path, or several through a `{…}` group.
fn continued(text: &str, prefix: Module, out: &mut Vec<Module>) {
    let mut path = prefix;
    let mut rest = text;
    while let Some(next) = rest.strip_prefix("::") {
        let next = next.trim_start();
        if let Some(group) = next.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let inner = &group[..end];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices().chain([(inner.len(), ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let item = inner[start..i].trim();
                        let name: String = item.chars().take_while(|&c| is_ident(c)).collect();
                        if !name.is_empty() && name != "self" {
                            let mut each = path.clone();
                            each.push(name.clone());
                            continued(&item[name.len()..], each, out);
                        } else {
                            out.push(path.clone());
                        }
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let name: String = next.chars().take_while(|&c| is_ident(c)).collect();
        if name.is_empty() {
            break;
        }
        if name == "super" {
            path.pop();
        } else {
            path.push(name.clone());
        }
        rest = &next[name.len()..];
    }
    out.push(path);
}

/// Every module path that `code`, in `module`, names.
fn references(module: &Module, code: &str) -> Vec<Module> {
    let mut out = Vec::new();
    let here: Module = module.clone();
    for keyword in ["crate", "super", "self"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(keyword) {
            let start = from + at;
            let end = start + keyword.len();
            from = end;
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') || !code[end..].starts_with("::") {
                continue;
            }
            // `self` is this module; `super` is the module above this one.
            let prefix = match keyword {
                "crate" => Vec::new(),
                "self" => here.clone(),
                _ => here[..here.len().saturating_sub(1)].to_vec(),
            };
            continued(&code[end..], prefix, &mut out);
        }
    }
    out
}

#[test]
fn no_file_of_src_imports_itself_in_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    modules(&root, &root, &mut files);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, source) in &files {
        let mut targets = BTreeSet::new();
        for path in references(module, &code_of(source)) {
            let Some(target) = (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|m| files.contains_key(m))
            else {
                continue;
            };
            // Itself, the crate root, or one of its own submodules: not an import.
            if target == *module || target.is_empty() || target.starts_with(module) {
                continue;
            }
            targets.insert(target);
        }
        edges.insert(module.clone(), targets);
    }
    assert!(edges.len() > 40, "the walk found the source files: {}", edges.len());
    assert!(edges.values().map(BTreeSet::len).sum::<usize>() > 100, "the walk found the imports between them");
    // Depth-first search for a back edge; the first cycle found is reported with its path.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        marks.insert(node.clone(), Mark::Open);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let from = stack.iter().position(|m| m == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, marks, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if !marks.contains_key(node)
            && let Some(cycle) = visit(node, &edges, &mut marks, &mut Vec::new())
        {
            let shown: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("an import circle: {}", shown.join(" -> "));
        }
    }
}

#[test]
fn the_walk_reads_paths_groups_and_supers() {
    let module: Module = vec!["shell".into(), "ui".into(), "hud".into()];
    let code =
        "use super::report_rect;\nuse crate::shell::{face::{A, B}, today::Today};\nlet x = crate::day::Day::new();";
    let found = references(&module, code);
    let shown: BTreeSet<String> = found.iter().map(|m| m.join("::")).collect();
    for want in ["shell::ui::report_rect", "shell::face::A", "shell::face::B", "shell::today::Today", "day::Day::new"] {
        assert!(shown.contains(want), "{want} in {shown:?}");
    }
}
