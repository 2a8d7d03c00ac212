//! Reprints in edited wire copy: hard-wrapped agency text, newspaper stories
//! built on part of it (`partial`), and the traps around them (a shared
//! background paragraph, a template with other numbers, a next-day
//! follow-up repeating one quote). All text is invented for these tests.

use wirecopy::dedup::{cluster_batch, sketch, BatchDoc, DocMeta, Index, IndexConfig, Relation};

/// An invented agency story, one line per paragraph.
const AGENCY: [&str; 7] = [
    "The harbour authority of Port Elwin will close the old northern pier to ferries from next month after divers found cracks in three of its supporting columns, officials said today.",
    "Ferries to the islands of Tarn and Oskay will sail from the southern terminal instead, adding about twenty minutes to each crossing, the authority said in a statement.",
    "Harbour master Ilse Varga said the pier, built in the 1920s, had carried far heavier vehicles in recent years than its designers had ever planned for.",
    "\"We would rather inconvenience passengers for a season than take any risk with a structure of this age,\" Varga told reporters at the harbour office.",
    "Engineers will spend the winter assessing whether the columns can be strengthened or whether the pier must be rebuilt, a choice the council expects to make by the spring.",
    "Local traders fear the change will draw visitors away from the shops and cafes of the old quarter, which depend on ferry passengers for much of their custom.",
    "The authority said it would run a free shuttle bus between the southern terminal and the old quarter for as long as the northern pier stays closed.",
];

fn doc(key: &str, text: &str, agency: bool) -> BatchDoc {
    let s = sketch(text);
    BatchDoc {
        key: key.into(),
        meta: DocMeta {
            agency,
            published: None,
            words: s.fingerprint.words,
        },
        sketch: s,
    }
}

/// The story as the wire delivers it: a headline in capitals, a byline, a
/// note to editors, paragraphs indented and hard-wrapped at 68 columns.
fn wrapped(paragraphs: &[&str]) -> String {
    let mut out = String::from(
        "(with pic)\nNORTHERN PIER TO CLOSE AFTER CRACKS FOUND\nBy Mara Quill, Northern Wire\n",
    );
    for p in paragraphs {
        let mut line = String::from("  ");
        for word in p.split(' ') {
            if line.len() + word.len() + 1 > 68 {
                out.push_str(line.trim_end());
                out.push('\n');
                line.clear();
            }
            line.push_str(word);
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("end\n");
    out
}

/// The cluster of each document when the index meets them one by one in
/// reverse order, the agency's copy last, as when a newspaper's page is
/// fetched before the agency's feed.
fn reversed_incremental(docs: &[BatchDoc]) -> Vec<u32> {
    let mut index = Index::new(IndexConfig::default());
    let mut cluster = vec![0; docs.len()];
    for (i, d) in docs.iter().enumerate().rev() {
        cluster[i] = index.insert(&d.sketch, d.meta).cluster;
    }
    cluster
}

/// Asserts that the two documents of a trap stay apart, clustered at once
/// and met one by one with the agency's copy last.
fn assert_apart(docs: &[BatchDoc]) {
    let clusters = cluster_batch(docs, IndexConfig::default());
    assert_eq!(clusters.len(), 2, "{clusters:?}");
    let reversed = reversed_incremental(docs);
    assert_ne!(reversed[0], reversed[1], "met agency last");
}

fn relation_of(
    clusters: &[wirecopy::dedup::Cluster],
    docs: &[BatchDoc],
    key: &str,
) -> (u32, Relation) {
    clusters
        .iter()
        .find_map(|c| {
            c.members
                .iter()
                .find(|m| docs[m.doc as usize].key == key)
                .map(|m| (c.id, m.relation))
        })
        .expect("every document is in a cluster")
}

#[test]
fn wrapped_wire_copy_is_the_same_text_as_its_unwrapped_body() {
    let body = AGENCY.join("\n\n");
    let wire = wrapped(&AGENCY);
    assert!(wire.lines().all(|l| l.len() <= 68), "{wire}");
    // Wrapping, the wire's headline, byline and notes change nothing: the
    // exact layer sees one text.
    assert_eq!(sketch(&wire).fingerprint, sketch(&body).fingerprint);
    // A cut of the wrapped copy is an excerpt of the body.
    let docs = vec![
        doc("body", &body, true),
        doc("cut", &wrapped(&AGENCY[..3]), false),
    ];
    let clusters = cluster_batch(&docs, IndexConfig::default());
    assert_eq!(clusters.len(), 1);
    assert_eq!(relation_of(&clusters, &docs, "cut").1, Relation::Excerpt);
}

/// A newspaper story on the agency copy: its own opening and closing, three
/// agency paragraphs (one edited: "today" became "yesterday"), reordered.
fn newspaper() -> String {
    [
        "Island commuters face longer journeys this winter after the crumbling northern pier at Port Elwin was declared unsafe for the ferries that have used it for a century.",
        &AGENCY[0].replace("today", "yesterday"),
        AGENCY[3],
        AGENCY[1],
        "Passengers we spoke to on the quayside were unimpressed. One regular, a fisherman's widow who crosses to Oskay every week to visit her sister, said the shuttle would be no substitute for the short walk from the old pier to the market.",
        "The council has promised a decision on the pier's future before Easter, but few in the old quarter expect the work to be finished before next summer at the earliest.",
    ]
    .join("\n\n")
}

#[test]
fn a_newspaper_story_built_on_agency_copy_joins_as_partial() {
    let docs = vec![
        doc("agency", &wrapped(&AGENCY), true),
        doc("paper", &newspaper(), false),
    ];
    let mut reversed = docs.clone();
    reversed.reverse();
    for set in [&docs, &reversed] {
        let clusters = cluster_batch(set, IndexConfig::default());
        assert_eq!(clusters.len(), 1, "one story");
        let (_, rel) = relation_of(&clusters, set, "paper");
        assert_eq!(rel, Relation::Partial);
        // The agency's copy stays the canonical version.
        assert_eq!(set[clusters[0].canonical as usize].key, "agency");
        let member = clusters[0]
            .members
            .iter()
            .find(|m| set[m.doc as usize].key == "paper")
            .expect("member");
        assert!(
            (0.35..=1.0).contains(&member.similarity),
            "{}",
            member.similarity
        );
    }
    // Met one by one with the newspaper's story first, the agency's copy
    // joins it when it arrives, as the original of the story.
    let clusters = reversed_incremental(&docs);
    assert_eq!(clusters[0], clusters[1]);
    let mut index = Index::new(IndexConfig::default());
    let paper = index.insert(&docs[1].sketch, docs[1].meta);
    let agency = index.insert(&docs[0].sketch, docs[0].meta);
    assert_eq!(
        (agency.cluster, agency.relation),
        (paper.cluster, Relation::Partial)
    );
    let cluster = &index.clusters()[0];
    assert_eq!(cluster.canonical, 1, "the agency's copy is the canonical");
}

#[test]
fn a_shared_background_paragraph_alone_is_not_a_reprint() {
    let other = [
        "Port Elwin's ferry operator raised its fares by a tenth on Monday, blaming the price of fuel and a shortage of crew for the winter timetable.",
        "The operator, Tarnlink, said the rise would add about two crowns to a return ticket for foot passengers and more for cars and vans.",
        "Passenger groups on both islands called the increase unjustified and said they would ask the regional assembly to review the company's licence.",
        AGENCY[5],
        "Tarnlink's chief executive, Bram Holt, said the company had frozen fares for three years and could no longer absorb its rising costs alone.",
        "He said the company would keep its discount for island residents and students, and that the winter timetable would not lose any sailings.",
        "The regional assembly's transport committee is due to discuss ferry services at its next meeting, at the end of the month.",
    ]
    .join("\n\n");
    let docs = vec![
        doc("agency", &AGENCY.join("\n\n"), true),
        doc("fares", &other, false),
    ];
    assert_apart(&docs);
}

#[test]
fn a_template_with_other_numbers_is_not_a_partial_reprint() {
    // A daily market close: the figures change, and so does the sentence on
    // what moved the market; the rest of the template stays word for word.
    let close = |points: &str, level: &str, why: &str, volume: &str, gainers: &str| {
        [
            format!("The Elwin share index rose {points} points on Tuesday to close at {level}."),
            why.to_string(),
            "Dealers said investors had returned to harbour and shipping companies after the port authority published its plans for the coming season.".to_string(),
            "Bond prices were little changed, and the crown held steady against the currencies of its main trading partners throughout the afternoon.".to_string(),
            "Analysts expect trading to stay thin until the central bank announces its decision on interest rates at the end of next week.".to_string(),
            format!("Turnover reached {volume} million crowns, and {gainers} of the index's forty members ended the day higher than they opened."),
        ]
        .join("\n\n")
    };
    let docs = vec![
        doc(
            "tuesday",
            &close("14", "2,318", "Shipping and insurance stocks led the gains after a quiet morning in which most large companies barely moved at all.", "412", "27"),
            true,
        ),
        doc(
            "wednesday",
            &close("9", "2,327", "Retailers and the two big banks did most of the work, recovering the ground they had lost in a nervous start to the week.", "388", "22"),
            false,
        ),
    ];
    assert_apart(&docs);
}

#[test]
fn a_next_day_follow_up_repeating_one_quote_is_not_a_reprint() {
    let follow_up = [
        "Ferry passengers queued for up to an hour at Port Elwin's southern terminal on Wednesday, the first day after the northern pier was closed to shipping.",
        "Extra staff were sent to the ticket hall, and the shuttle bus to the old quarter ran every ten minutes, the harbour authority said.",
        AGENCY[3],
        "Varga said the authority would review the timetable at the end of the week if the queues did not shorten as passengers grew used to the change.",
        "Traders in the old quarter reported fewer customers than usual, though several said it was too early to judge the effect of the closure.",
    ]
    .join("\n\n");
    let docs = vec![
        doc("agency", &AGENCY.join("\n\n"), true),
        doc("next-day", &follow_up, false),
    ];
    assert_apart(&docs);
}

/// An invented story rich in names and figures, one paragraph a line.
const TALKS: [&str; 6] = [
    "Foreign Minister Anna Korvel of Estara said on Monday that her country was ready to resume trade talks with Veldonia, provided that the tariffs imposed in March were lifted first.",
    "Speaking to the Daily Courier in Lindholm, Korvel said that Estara had offered Veldonian negotiators a 12-point plan in January and had received no reply.",
    "\"We have put concrete proposals on the table time and again, and each time we were met with silence from Aldgate,\" she told the paper.",
    "Korvel pointed to the fisheries accord signed in Brennmark in 2019 and the joint rail project with the Orsen Bank as proof that the two governments could still work together.",
    "Veldonia's trade envoy, Piet Maranus, is due in Lindholm on 14 May for a meeting of the Northern Trade Council, where both sides are expected to raise the dispute.",
    "Trade between the two countries fell by 18 percent last year to 4.2 billion crowns, according to figures from the Estaran statistics office.",
];

/// [`TALKS`] respun by hand: every sentence reworded, function words
/// included ("the" for "her", "from" for "of"), only the quote kept word for
/// word, the names and figures in their order. Its shingles and its
/// skeleton of function words hold too little for any rule but alignment.
fn respun() -> String {
    [
        "Estara stands ready to return to trade negotiations with Veldonia, Foreign Minister Anna Korvel stated on Monday, though only once the March tariffs are removed.",
        "In an interview with the Daily Courier of Lindholm, Korvel noted that in January Estara handed Veldonian negotiators a 12-point plan, yet got no answer at all.",
        TALKS[2],
        "As evidence that both governments remain able to cooperate, Korvel cited a fisheries accord from Brennmark in 2019 as well as a shared rail venture with the Orsen Bank.",
        "Piet Maranus, the trade envoy of Veldonia, is expected to arrive in Lindholm on 14 May to attend a session of the Northern Trade Council, where the row is likely to come up from both sides.",
        "Last year trade between the pair dropped 18 percent to 4.2 billion crowns, the Estaran statistics office reported.",
    ]
    .join("\n\n")
}

#[test]
fn a_copy_respun_by_hand_function_words_and_all_joins_as_partial() {
    let docs = vec![
        doc("story", &TALKS.join("\n\n"), false),
        doc("respun", &respun(), false),
    ];
    let clusters = cluster_batch(&docs, IndexConfig::default());
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    // Neither is known to be the source; the shorter one's passages (the
    // quote, and the phrases a respin keeps, a few words apart) cover over
    // half of it.
    let member = clusters[0]
        .members
        .iter()
        .find(|m| m.doc != clusters[0].canonical)
        .expect("two members");
    assert_eq!(member.relation, Relation::Partial);
    let reversed = reversed_incremental(&docs);
    assert_eq!(reversed[0], reversed[1]);
}
