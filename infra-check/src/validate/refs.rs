//! Every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn` and condition
//! name must name something that exists.

use serde_json::Value;

use super::{Cx, Doc, Res, TypeSource};
use crate::json::{PSEUDO_PARAMETERS, RefKind, Reference, Refs};
use crate::problem::show_str;

/// All reference rules.
pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for res in &doc.resources {
        check_refs(cx, doc, Some(res.id), &res.refs);
        check_depends_on(cx, doc, res);
        check_condition_attr(
            cx,
            doc,
            Some(res.id),
            res.entry.get("Condition"),
            &res.path(),
        );
    }
    for (name, output) in doc.outputs.into_iter().flatten() {
        if name.starts_with("Fn::ForEach::") {
            continue;
        }
        let mut refs = Refs::default();
        let mut path = format!("Outputs.{name}");
        if let Some(output) = output.as_object() {
            for key in ["Value", "Export"] {
                if let Some(v) = output.get(key) {
                    let len = path.len();
                    crate::json::push_key(&mut path, key);
                    refs.collect(v, &mut path, false);
                    path.truncate(len);
                }
            }
            check_condition_attr(cx, doc, None, output.get("Condition"), &path);
        }
        check_refs(cx, doc, None, &refs);
    }
    check_conditions_section(cx, doc);
}

/// The names in `DependsOn`, which may be one string or a list.
pub(super) fn depends_on<'t>(res: &Res<'t>) -> Result<Vec<&'t str>, ()> {
    match res.entry.get("DependsOn") {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.as_str()]),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_str().ok_or(())).collect(),
        Some(_) => Err(()),
    }
}

fn check_refs(cx: &mut Cx<'_>, doc: &Doc<'_>, id: Option<&str>, refs: &Refs) {
    for r in &refs.refs {
        if let Some((rule, message, allowed)) = resolve(cx.types, doc, r) {
            let mut problem = cx
                .problem(rule, id, &r.path, message)
                .with_value(show_str(&r.shown));
            problem.allowed = allowed;
            cx.push(problem);
        }
    }
    for m in &refs.malformed {
        // `Ref` of a function (`!Ref {Fn::Sub: ..}`) is the language extensions'.
        if m.function == "Ref" && doc.transforms.language && m.value.starts_with('{') {
            continue;
        }
        let message = format!("is not a valid {}", m.function);
        cx.push(
            cx.problem("E-intrinsic", id, &m.path, message)
                .with_value(&m.value),
        );
    }
}

/// What is wrong with one reference: rule, message and allowed values.
fn resolve(
    types: &dyn TypeSource,
    doc: &Doc<'_>,
    r: &Reference,
) -> Option<(&'static str, String, Option<String>)> {
    let rule = match r.kind {
        RefKind::Ref => "E-ref",
        RefKind::Sub => "E-sub",
        RefKind::GetAtt => "E-getatt",
        RefKind::Condition => {
            return (!doc.is_condition(&r.target)).then(|| {
                (
                    "E-condition",
                    "is not a condition of this stack".into(),
                    None,
                )
            });
        }
    };
    if r.target.starts_with("AWS::") && r.kind != RefKind::GetAtt {
        let ok = PSEUDO_PARAMETERS.contains(&r.target.as_str());
        let allowed = PSEUDO_PARAMETERS.join(", ");
        return (!ok).then(|| (rule, "is not a pseudo parameter".into(), Some(allowed)));
    }
    let Some(res) = doc.resource(&r.target) else {
        if doc.transforms.adds_names() && !doc.is_parameter(&r.target) {
            return None;
        }
        let attr = r.kind == RefKind::GetAtt || r.attribute.is_some();
        return match (attr, doc.is_parameter(&r.target)) {
            (false, true) => None,
            (true, true) => Some((
                rule,
                "names a parameter, which has no attributes".into(),
                None,
            )),
            (true, false) => Some((rule, "is not a resource of this stack".into(), None)),
            (false, false) => Some((
                rule,
                "is not a resource or parameter of this stack".into(),
                None,
            )),
        };
    };
    check_attribute(types, doc, res, r.attribute.as_deref()?)
}

/// Attributes that exist only when a property is set: (type, attribute,
/// property, why). The registry lists them unconditionally, and the stack
/// then fails at deploy time ("Attribute 'StreamArn' does not exist").
const NEEDS_PROPERTY: &[(&str, &str, &str, &str)] = &[(
    "AWS::DynamoDB::Table",
    "StreamArn",
    "StreamSpecification",
    "a table has a stream only when StreamSpecification sets one",
)];

/// `attribute` must be a GetAtt attribute of a registry type.
fn check_attribute(
    types: &dyn TypeSource,
    doc: &Doc<'_>,
    res: &Res<'_>,
    attribute: &str,
) -> Option<(&'static str, String, Option<String>)> {
    let t = res.type_name;
    let outputs = matches!(
        t,
        "AWS::CloudFormation::Stack" | "AWS::ServiceCatalog::CloudFormationProvisionedProduct"
    ) && attribute.starts_with("Outputs.");
    if let Some((.., property, why)) = NEEDS_PROPERTY
        .iter()
        .find(|(ty, attr, ..)| *ty == t && *attr == attribute)
        && res.property(property).is_none()
    {
        let message = format!("needs {property} on {}: {why}", res.id);
        return Some(("E-getatt-unset", message, None));
    }
    if outputs
        || super::resources::is_custom(t)
        || types.schema(t).is_none()
        || (doc.transforms.sam && t.starts_with("AWS::Serverless::"))
        || types.has_attribute(t, attribute)
    {
        return None;
    }
    let message = format!("names no attribute of {t}");
    let mut allowed = types.attributes(t);
    allowed.sort();
    Some(("E-getatt-attribute", message, Some(allowed.join(", "))))
}

fn check_depends_on(cx: &mut Cx<'_>, doc: &Doc<'_>, res: &Res<'_>) {
    let path = format!("Resources.{}.DependsOn", res.id);
    let Ok(names) = depends_on(res) else {
        let message = "DependsOn must be a logical ID or a list of logical IDs";
        cx.push(cx.problem("E-structure", Some(res.id), path, message));
        return;
    };
    for name in names {
        if doc.resource(name).is_none() {
            let problem = cx.problem(
                "E-depends-on",
                Some(res.id),
                &path,
                "is not a resource of this stack",
            );
            cx.push(problem.with_value(show_str(name)));
        }
    }
}

/// The `Condition` attribute of a resource or an output.
fn check_condition_attr(
    cx: &mut Cx<'_>,
    doc: &Doc<'_>,
    id: Option<&str>,
    v: Option<&Value>,
    path: &str,
) {
    let Some(v) = v else { return };
    let path = format!("{path}.Condition");
    match v.as_str() {
        Some(name) if doc.is_condition(name) => {}
        Some(name) => {
            let problem = cx.problem("E-condition", id, path, "is not a condition of this stack");
            cx.push(problem.with_value(show_str(name)));
        }
        None => cx.push(cx.problem(
            "E-structure",
            id,
            path,
            "Condition must be a condition name",
        )),
    }
}

/// `Conditions` may use parameters, pseudo parameters and other conditions only.
fn check_conditions_section(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for (name, body) in doc.conditions.into_iter().flatten() {
        if name.starts_with("Fn::ForEach::") {
            continue;
        }
        let mut refs = Refs::default();
        let mut path = format!("Conditions.{name}");
        refs.collect(body, &mut path, true);
        let (to_resources, rest): (Vec<_>, Vec<_>) = refs
            .refs
            .into_iter()
            .partition(|r| r.kind == RefKind::Ref && doc.resource(&r.target).is_some());
        for r in to_resources {
            let message = "is a resource; conditions can refer only to parameters";
            let problem = cx.problem("E-condition-ref", None, r.path, message);
            cx.push(problem.with_value(show_str(&r.shown)));
        }
        let refs = Refs {
            refs: rest,
            malformed: refs.malformed,
        };
        check_refs(cx, doc, None, &refs);
    }
}
