//! A minimal Office theme (DrawingML). Word and Excel expect the part in a package;
//! nothing in our documents uses its colours.

/// The theme part, the same for every document.
pub fn theme() -> String {
    let accents = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47"];
    let mut colours = String::from(
        r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>"#,
    );
    for (i, a) in accents.iter().enumerate() {
        colours.push_str(&format!(r#"<a:accent{n}><a:srgbClr val="{a}"/></a:accent{n}>"#, n = i + 1));
    }
    colours
        .push_str(r#"<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>"#);
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let line = format!(r#"<a:ln w="6350">{fill}</a:ln>"#);
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    let font = r#"<a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/>"#;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements><a:clrScheme name="Office">{colours}</a:clrScheme><a:fontScheme name="Office"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont></a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>{f3}</a:fillStyleLst><a:lnStyleLst>{l3}</a:lnStyleLst><a:effectStyleLst>{e3}</a:effectStyleLst><a:bgFillStyleLst>{f3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
        f3 = fill.repeat(3),
        l3 = line.repeat(3),
        e3 = effect.repeat(3),
    )
}
