//! The CSV renderer: one row per scheme and label, plus `overall` and `macro` rows.

use crate::score::Scheme;

use super::{CountsReport, Report};

/// The header of the CSV format.
const HEADER: [&str; 12] = [
    "scheme",
    "label",
    "correct",
    "incorrect",
    "partial",
    "missed",
    "spurious",
    "possible",
    "actual",
    "precision",
    "recall",
    "f1",
];

/// Rows in [`Scheme::ALL`] order, each scheme's labels in report order, then
/// `overall` (micro) and `macro` (whose count columns are empty: a mean has no counts);
/// then, with scores by bucket, one row per grouping, scheme and bucket, labelled
/// `GROUPING=BUCKET` (`length=2`, `frequency=8+`). Scores are at full precision, as in
/// JSON; a scheme that does not apply (the norm scheme of predictions without norms) has
/// empty counts and `n/a` scores.
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let fail = "writing CSV to memory cannot fail";
    w.write_record(HEADER).expect(fail);
    for scheme in Scheme::ALL {
        let sr = report.schemes.get(scheme);
        if !sr.applicable {
            // Not applicable (the predictions carry no norms): every row says n/a.
            let labels = sr
                .by_label
                .labels()
                .map(|l| l.as_str())
                .chain(["overall", "macro"]);
            for label in labels {
                let mut row = vec![scheme.as_str().to_string(), label.to_string()];
                row.resize(9, String::new());
                row.extend(["n/a"; 3].map(String::from));
                w.write_record(&row).expect(fail);
            }
            continue;
        }
        let rows = sr
            .by_label
            .iter()
            .map(|(l, c)| (l.as_str(), c))
            .chain([("overall", &sr.overall)]);
        for (label, c) in rows {
            w.write_record(counts_row(scheme, label, c)).expect(fail);
        }
        let m = report.macro_avg.get(scheme).0;
        let mut row = vec![scheme.as_str().to_string(), "macro".to_string()];
        row.resize(9, String::new());
        row.extend([m.precision, m.recall, m.f1].map(|x| format!("{x:?}")));
        w.write_record(&row).expect(fail);
    }
    // Scores by bucket: the label column names the grouping and the bucket (`length=1`).
    for b in &report.buckets {
        for scheme in Scheme::ALL {
            for x in &b.buckets {
                let name = format!("{}={}", b.by, x.name);
                w.write_record(counts_row(scheme, &name, x.schemes.get(scheme)))
                    .expect(fail);
            }
        }
    }
    let bytes = w.into_inner().expect(fail);
    // Every field was a Rust string, so the output is UTF-8.
    String::from_utf8_lossy(&bytes).into_owned()
}

fn counts_row(scheme: Scheme, label: &str, c: &CountsReport) -> [String; 12] {
    let k = &c.counts;
    [
        scheme.as_str().to_string(),
        label.to_string(),
        k.correct.to_string(),
        k.incorrect.to_string(),
        k.partial.to_string(),
        k.missed.to_string(),
        k.spurious.to_string(),
        k.possible().to_string(),
        k.actual().to_string(),
        format!("{:?}", c.scores.precision),
        format!("{:?}", c.scores.recall),
        format!("{:?}", c.scores.f1),
    ]
}
