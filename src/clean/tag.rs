//! [`Tag`]: the element names the cleaner tells apart, and what each one is
//! (void, block-level, heading).

/// The element names the cleaner tells apart; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Tag {
    Text,
    Root,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Base,
    Script,
    Style,
    Noscript,
    Template,
    Div,
    P,
    Span,
    A,
    Br,
    Hr,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    Caption,
    Blockquote,
    Pre,
    Code,
    Rt,
    Rp,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Nav,
    Aside,
    Figure,
    Figcaption,
    Form,
    Input,
    Button,
    Select,
    Option,
    Textarea,
    Label,
    Iframe,
    Img,
    Picture,
    Source,
    Svg,
    Time,
    Em,
    Strong,
    B,
    I,
    U,
    Small,
    Sup,
    Sub,
    Font,
    Center,
    Address,
    Details,
    Summary,
    Dialog,
    Menu,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Wbr,
    Area,
    Map,
    Col,
    Colgroup,
    Param,
    Track,
    Hgroup,
    Mark,
    Cite,
    Q,
    Abbr,
    Ins,
    Del,
    S,
    Strike,
    Tt,
    Big,
    Math,
    Other,
}

impl Tag {
    /// Looks up a lowercase element name.
    pub(crate) fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "base" => Base,
            "script" => Script,
            "style" => Style,
            "noscript" => Noscript,
            "template" => Template,
            "div" => Div,
            "p" => P,
            "span" => Span,
            "a" => A,
            "br" => Br,
            "hr" => Hr,
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "table" => Table,
            "thead" => Thead,
            "tbody" => Tbody,
            "tfoot" => Tfoot,
            "tr" => Tr,
            "td" => Td,
            "th" => Th,
            "caption" => Caption,
            "blockquote" => Blockquote,
            "pre" => Pre,
            "code" => Code,
            "rt" => Rt,
            "rp" => Rp,
            "article" => Article,
            "main" => Main,
            "section" => Section,
            "header" => Header,
            "footer" => Footer,
            "nav" => Nav,
            "aside" => Aside,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "form" => Form,
            "input" => Input,
            "button" => Button,
            "select" => Select,
            "option" => Option,
            "textarea" => Textarea,
            "label" => Label,
            "iframe" => Iframe,
            "img" => Img,
            "picture" => Picture,
            "source" => Source,
            "svg" => Svg,
            "time" => Time,
            "em" => Em,
            "strong" => Strong,
            "b" => B,
            "i" => I,
            "u" => U,
            "small" => Small,
            "sup" => Sup,
            "sub" => Sub,
            "font" => Font,
            "center" => Center,
            "address" => Address,
            "details" => Details,
            "summary" => Summary,
            "dialog" => Dialog,
            "menu" => Menu,
            "object" => Object,
            "embed" => Embed,
            "canvas" => Canvas,
            "video" => Video,
            "audio" => Audio,
            "wbr" => Wbr,
            "area" => Area,
            "map" => Map,
            "col" => Col,
            "colgroup" => Colgroup,
            "param" => Param,
            "track" => Track,
            "hgroup" => Hgroup,
            "mark" => Mark,
            "cite" => Cite,
            "q" => Q,
            "abbr" => Abbr,
            "ins" => Ins,
            "del" => Del,
            "s" => S,
            "strike" => Strike,
            "tt" => Tt,
            "big" => Big,
            "math" => Math,
            _ => Other,
        }
    }

    /// Returns true if and only if the element never has children.
    pub(crate) fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Meta | Link
                | Base
                | Br
                | Hr
                | Input
                | Img
                | Source
                | Wbr
                | Area
                | Col
                | Param
                | Track
                | Embed
        )
    }

    /// Returns true if and only if the element starts a new line of text
    /// (a block in CSS terms), so its text never runs into its neighbour's.
    pub(crate) fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Html | Body
                | Div
                | P
                | Br
                | Hr
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Ul
                | Ol
                | Li
                | Dl
                | Dt
                | Dd
                | Table
                | Thead
                | Tbody
                | Tfoot
                | Tr
                | Td
                | Th
                | Caption
                | Blockquote
                | Pre
                | Article
                | Main
                | Section
                | Header
                | Footer
                | Nav
                | Aside
                | Figure
                | Figcaption
                | Form
                | Center
                | Address
                | Details
                | Summary
                | Dialog
                | Menu
                | Hgroup
                | Option
                | Select
                | Textarea
                | Iframe
                | Video
                | Audio
                | Canvas
                | Object
                | Picture
                | Img
        )
    }

    /// Returns true if and only if this is `h1`…`h6`.
    pub(crate) fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }
}
