//! Related briefings and co-occurrence: who appears with whom. Both are counted over the
//! entity → briefings lists, with work bounded per briefing so a person named in half the
//! archive does not make the cost grow with the square of the archive.

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

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
/// Taken from `kept` for every briefing whose inputs are as they were: its own entities,
/// each one's briefings (which weigh it and give the candidates), and every briefing's
/// date. A person added to one briefing ranks that briefing again.
pub fn related_reusing(
    briefings: &[Briefing],
    entities: &[Entity],
    kept: &mut super::Parts<Vec<BriefingId>>,
) -> Vec<Vec<BriefingId>> {
    let weight: Vec<f32> = entities
        .iter()
        .map(|e| 1.0 / (1.0 + (e.briefings.len() as f32).ln()))
        .collect();
    let days: Vec<i32> = briefings.iter().map(|b| day_number(b.date)).collect();
    let mut every_day = Xxh3::new();
    for day in &days {
        every_day.update(&day.to_le_bytes());
    }
    let every_day = every_day.digest();
    let lists = briefing_lists(entities);
    let digests: Vec<u64> = briefings
        .par_iter()
        .map(|b| {
            let mut digest = Xxh3::new();
            digest.update(&every_day.to_le_bytes());
            digest.update(&b.id.0.to_le_bytes());
            for list in &b.entities {
                digest.update(&(list.len() as u32).to_le_bytes());
                for id in list {
                    digest.update(&lists[id.0 as usize].to_le_bytes());
                }
            }
            digest.digest()
        })
        .collect();
    kept.get_or(&digests, HashMap::new, |scores, i| {
        rank_related(&briefings[i], entities, &weight, &days, scores)
    })
}

/// For each entity, the people, organisations and places named with it most often, with
/// counts; ties go to the name first in A–Z order, so output is stable.
/// Taken from `kept` for every entity whose inputs are as they were: its id, its
/// briefings, and the id, kind and slug of everyone they name.
pub fn appears_with_reusing(
    briefings: &[Briefing],
    entities: &[Entity],
    kept: &mut super::Parts<[Vec<(EntityId, u32)>; 3]>,
) -> Vec<[Vec<(EntityId, u32)>; 3]> {
    let named: Vec<u64> = briefings
        .par_iter()
        .map(|b| {
            let mut digest = Xxh3::new();
            for &id in b.entities[..3].iter().flatten() {
                let e = &entities[id.0 as usize];
                digest.update(&id.0.to_le_bytes());
                digest.update(&[e.kind.index() as u8]);
                digest.update(e.slug.as_bytes());
                digest.update(&[0]);
            }
            digest.digest()
        })
        .collect();
    let digests: Vec<u64> = entities
        .par_iter()
        .map(|e| {
            let mut digest = Xxh3::new();
            digest.update(&e.id.0.to_le_bytes());
            for b in &e.briefings {
                digest.update(&named[b.0 as usize].to_le_bytes());
            }
            digest.digest()
        })
        .collect();
    kept.get_or(
        &digests,
        || (),
        |_, i| company(&entities[i], briefings, entities),
    )
}

/// The digest of each entity's briefings, by entity id.
fn briefing_lists(entities: &[Entity]) -> Vec<u64> {
    entities
        .par_iter()
        .map(|e| {
            let mut digest = Xxh3::new();
            for id in &e.briefings {
                digest.update(&id.0.to_le_bytes());
            }
            digest.digest()
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

/// Who appears with `entity` most, by kind (`appears_with_reusing`).
fn company(
    entity: &Entity,
    briefings: &[Briefing],
    entities: &[Entity],
) -> [Vec<(EntityId, u32)>; 3] {
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
}
