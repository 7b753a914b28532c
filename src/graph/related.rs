//! Related briefings and co-occurrence: who appears with whom. Both are counted over the
//! entity → briefings lists, with work bounded per briefing so a person named in half the
//! archive does not make the cost grow with the square of the archive.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::{Briefing, BriefingId, Entity, EntityId};

/// How many related briefings each briefing shows.
pub const RELATED: usize = 5;
/// How many co-occurring entities of each kind an entity page shows.
pub const APPEARS_WITH: usize = 10;
/// Above this many briefings, an entity contributes only its briefings nearest in date:
/// naming a very common person says little about relatedness, and scanning all of them
/// for every briefing is what makes a naive ranking quadratic.
const COMMON: usize = 200;
const NEAREST: usize = 40;

/// The most related briefings of each briefing (indexed by id): ranked by shared entities,
/// rarer entities weighing more, then by closeness in date, then newest.
pub fn related(briefings: &[Briefing], entities: &[Entity]) -> Vec<Vec<BriefingId>> {
    let weight: Vec<f32> = entities
        .iter()
        .map(|e| 1.0 / (1.0 + (e.briefings.len() as f32).ln()))
        .collect();
    // Day numbers once, so ranking compares integers instead of subtracting dates (#5).
    let days: Vec<i32> = briefings.iter().map(|b| day_number(b.date)).collect();
    briefings
        .par_iter()
        .map_init(HashMap::new, |scores, briefing| {
            rank_related(briefing, entities, &weight, &days, scores)
        })
        .collect()
}

/// Days since 1970-01-01: a date as one integer that subtracts cheaply.
fn day_number(date: jiff::civil::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    (date - epoch).get_days()
}

/// `scores` is scratch space reused across briefings of one thread, so the hash map's
/// storage is allocated once per thread rather than once per briefing.
fn rank_related(
    briefing: &Briefing,
    entities: &[Entity],
    weight: &[f32],
    days: &[i32],
    scores: &mut HashMap<BriefingId, f32>,
) -> Vec<BriefingId> {
    scores.clear();
    for &entity in briefing.entities.iter().flatten() {
        let list = &entities[entity.0 as usize].briefings;
        for &other in candidates(list, briefing.id) {
            if other != briefing.id {
                *scores.entry(other).or_default() += weight[entity.0 as usize];
            }
        }
    }
    let day = days[briefing.id.0 as usize];
    // The whole sort key, computed once per candidate: higher score, nearer date, newer id.
    let mut ranked: Vec<(std::cmp::Reverse<OrderedScore>, u32, BriefingId)> = scores
        .iter()
        .map(|(&id, &score)| {
            let distance = (days[id.0 as usize] - day).unsigned_abs();
            (std::cmp::Reverse(OrderedScore(score)), distance, id)
        })
        .collect();
    // Only the best few are shown: select them, then sort just those.
    if ranked.len() > RELATED {
        ranked.select_nth_unstable(RELATED);
        ranked.truncate(RELATED);
    }
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, _, id)| id).collect()
}

/// An `f32` score ordered by `total_cmp`, so it can sit in a sort key.
#[derive(Clone, Copy, PartialEq)]
struct OrderedScore(f32);

impl Eq for OrderedScore {}

impl PartialOrd for OrderedScore {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedScore {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The briefings of one entity worth scoring against `id`: all of them for an uncommon
/// entity, else the nearest in date (the list is sorted by id, which is date order).
fn candidates(list: &[BriefingId], id: BriefingId) -> &[BriefingId] {
    if list.len() <= COMMON {
        return list;
    }
    let at = list.binary_search(&id).unwrap_or_else(|i| i);
    let start = at.saturating_sub(NEAREST / 2);
    let end = (start + NEAREST).min(list.len());
    &list[start..end]
}

/// For each entity, the people, organisations and places named with it most often, with
/// counts; ties go to the name first in A–Z order, so output is stable.
pub fn appears_with(briefings: &[Briefing], entities: &[Entity]) -> Vec<[Vec<(EntityId, u32)>; 3]> {
    entities
        .par_iter()
        .map(|entity| {
            let mut counts: HashMap<EntityId, u32> = HashMap::new();
            for &b in &entity.briefings {
                for &other in briefings[b.0 as usize].entities[..3].iter().flatten() {
                    if other != entity.id {
                        *counts.entry(other).or_default() += 1;
                    }
                }
            }
            let mut by_kind: [Vec<(EntityId, u32)>; 3] = Default::default();
            for (id, count) in counts {
                by_kind[entities[id.0 as usize].kind.index()].push((id, count));
            }
            for list in &mut by_kind {
                list.sort_by(|a, b| {
                    b.1.cmp(&a.1).then_with(|| {
                        let (x, y) = (&entities[a.0.0 as usize], &entities[b.0.0 as usize]);
                        (x.slug.as_str(), a.0).cmp(&(y.slug.as_str(), b.0))
                    })
                });
                list.truncate(APPEARS_WITH);
            }
            by_kind
        })
        .collect()
}
