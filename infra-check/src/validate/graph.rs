//! Dependency cycles between resources: the edges are `Ref`, `Fn::GetAtt`,
//! `Fn::Sub` references and `DependsOn`.

use std::collections::VecDeque;

use super::{Cx, Doc, refs::depends_on};

/// Reports one cycle per strongly connected component, as `A -> B -> A`
/// starting at the smallest logical ID of the cycle.
pub(super) fn check_cycles(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    let adj = edges(doc);
    let mut cycles: Vec<Vec<usize>> = components(&adj)
        .into_iter()
        .filter_map(|comp| cycle_in(&adj, &comp, doc))
        .collect();
    // SAM rewrites the edges of its resources (an alarm on a function refers
    // to its alias after the transform), a macro may rewrite anything.
    let rewritten = |c: &Vec<usize>| {
        doc.transforms.other
            || (doc.transforms.sam
                && c.iter()
                    .any(|&i| doc.resources[i].type_name.starts_with("AWS::Serverless::")))
    };
    cycles.retain(|c| !rewritten(c));
    cycles.sort_by(|a, b| doc.resources[a[0]].id.cmp(doc.resources[b[0]].id));
    for cycle in cycles {
        let names: Vec<&str> = cycle.iter().map(|&i| doc.resources[i].id).collect();
        let first = names[0];
        let message = format!("circular dependency: {} -> {first}", names.join(" -> "));
        // Each member is reported, so that each is located in the file.
        for name in &names {
            let path = format!("Resources.{name}");
            cx.push(cx.problem("E-cycle", Some(name), path, message.clone()));
        }
    }
}

/// The sorted, deduplicated dependencies of each resource, by index.
fn edges(doc: &Doc<'_>) -> Vec<Vec<usize>> {
    doc.resources
        .iter()
        .map(|res| {
            let via_refs = res.refs.refs.iter().map(|r| r.target.as_str());
            let explicit = depends_on(res).unwrap_or_default();
            let mut out: Vec<usize> = via_refs
                .chain(explicit)
                .filter_map(|name| doc.index.get(name).copied())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}

/// Strongly connected components (Tarjan, iterative so that deep graphs
/// cannot overflow the stack).
fn components(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut t = Tarjan::new(adj.len());
    let mut out = Vec::new();
    for root in 0..adj.len() {
        if t.index[root] != UNSEEN {
            continue;
        }
        let mut call = vec![(root, 0)];
        t.enter(root);
        while let Some(&(v, edge)) = call.last() {
            if let Some(&w) = adj[v].get(edge) {
                if let Some(top) = call.last_mut() {
                    top.1 += 1;
                }
                if t.index[w] == UNSEEN {
                    t.enter(w);
                    call.push((w, 0));
                } else if t.on_stack[w] {
                    t.low[v] = t.low[v].min(t.index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                t.low[u] = t.low[u].min(t.low[v]);
            }
            if t.low[v] == t.index[v] {
                out.push(t.pop_component(v));
            }
        }
    }
    out
}

const UNSEEN: usize = usize::MAX;

/// The bookkeeping of Tarjan's algorithm.
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
}

impl Tarjan {
    fn new(n: usize) -> Self {
        Tarjan {
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
        }
    }

    fn enter(&mut self, v: usize) {
        (self.index[v], self.low[v], self.on_stack[v]) = (self.next, self.next, true);
        self.next += 1;
        self.stack.push(v);
    }

    fn pop_component(&mut self, root: usize) -> Vec<usize> {
        let mut comp = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            comp.push(w);
            if w == root {
                break;
            }
        }
        comp
    }
}

/// A shortest cycle through the smallest logical ID of `comp`, or `None`
/// when the component is one resource that does not depend on itself.
fn cycle_in(adj: &[Vec<usize>], comp: &[usize], doc: &Doc<'_>) -> Option<Vec<usize>> {
    let start = *comp.iter().min_by_key(|&&i| doc.resources[i].id)?;
    if comp.len() == 1 && !adj[start].contains(&start) {
        return None;
    }
    let mut member = vec![false; adj.len()];
    for &i in comp {
        member[i] = true;
    }
    let mut parent = vec![UNSEEN; adj.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &w in &adj[u] {
            if w == start {
                return Some(path_to(&parent, start, u));
            }
            if member[w] && parent[w] == UNSEEN {
                parent[w] = u;
                queue.push_back(w);
            }
        }
    }
    None
}

/// `start .. end` following `parent` links back from `end`.
fn path_to(parent: &[usize], start: usize, end: usize) -> Vec<usize> {
    let mut path = vec![end];
    let mut at = end;
    while at != start && at != UNSEEN {
        at = parent[at];
        path.push(at);
    }
    path.reverse();
    path
}
