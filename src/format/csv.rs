//! tagbench's own format: the annotations CSV (`doc,start,end,label,text,norm`, see
//! [`AnnotationSet`]) with the texts in a folder of `<doc>.txt` files.
//!
//! The CSV has no texts, so reading it as a [`Dataset`] takes them from a [`Corpus`]: every
//! row must name one of its documents, lie inside its text and repeat the slice in `text`.
//! Every document of the corpus is in the dataset, with or without rows. Writing gives the
//! CSV only; the texts are written (or not) by the caller.

use std::path::Path;

use super::Dataset;
use crate::annotations::AnnotationSet;
use crate::error::Result;
use crate::gold::Corpus;
use crate::label::LabelSet;

/// Reads an annotations CSV and checks it against `texts`.
/// Norms are parsed by the kind `labels` declares for their label.
pub fn read(path: &Path, texts: &Corpus, labels: &LabelSet) -> Result<Dataset> {
    let set = AnnotationSet::read(path, labels)?;
    from_set(set, texts).map_err(|e| e.at_path(path))
}

/// Checks annotations against `texts` and makes a dataset of both.
pub fn from_set(set: AnnotationSet, texts: &Corpus) -> Result<Dataset> {
    Dataset::new(texts.clone(), set)
}

/// The annotations CSV of a dataset: sorted by document, then position.
pub fn write(data: &Dataset) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing CSV into a Vec cannot fail.
    data.annotations().write(&mut out).expect("CSV into memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::Document;

    #[test]
    fn rows_are_checked_against_the_texts_and_written_back() {
        let texts = Corpus::from_documents(vec![
            Document {
                id: "d".into(),
                text: "𝔐ali and the UN".into(),
            },
            Document {
                id: "e".into(),
                text: "no mention".into(),
            },
        ])
        .unwrap();
        let src =
            "doc,start,end,label,text,norm\nd,13,15,ACTOR,UN,United Nations\nd,0,4,PLACE,𝔐ali,\n";
        let set = AnnotationSet::from_bytes(src.as_bytes(), &crate::label::gold_labels()).unwrap();
        let data = from_set(set, &texts).unwrap();
        assert_eq!(data.corpus().len(), 2);
        assert_eq!(
            String::from_utf8(write(&data)).unwrap(),
            "doc,start,end,label,text,norm\nd,0,4,PLACE,𝔐ali,\nd,13,15,ACTOR,UN,United Nations\n"
        );
        let bad = AnnotationSet::from_bytes(
            "doc,start,end,label,text,norm\nd,0,4,PLACE,Mali,\n".as_bytes(),
            &crate::label::gold_labels(),
        )
        .unwrap();
        let err = from_set(bad, &texts).unwrap_err().to_string();
        assert!(
            err.contains("line 2: field `text`: text \"Mali\" differs"),
            "{err}"
        );
    }
}
