//! Pagination of list pages: which slice of a list a page shows, and the pager linking
//! the pages around it.

use super::views::{Pager, PagerLink};
use super::{Renderer, routes};
use crate::i18n::Key;

impl Renderer<'_> {
    /// The items of page `page` and the pager linking all pages (made by `path_of`).
    pub(super) fn paginate<'s, T>(
        &self,
        items: &'s [T],
        page: usize,
        path_of: impl Fn(usize) -> String,
    ) -> (&'s [T], Pager) {
        let per_page = self.site.config.per_page;
        let total = routes::page_count(items.len(), per_page);
        let start = ((page - 1) * per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let link = |n: usize| self.urls.link(&path_of(n));
        let pager = Pager {
            current: page,
            total,
            previous_url: (page > 1).then(|| link(page - 1)),
            next_url: (page < total).then(|| link(page + 1)),
            previous_label: self.site.words.text(Key::PagerNewer).into_owned(),
            next_label: self.site.words.text(Key::PagerOlder).into_owned(),
            page_n: self
                .site
                .words
                .format(Key::PageN, &[("page", &page.to_string())]),
            page_of: self.site.words.format(
                Key::PageOf,
                &[
                    ("current", &page.to_string()),
                    ("total", &total.to_string()),
                ],
            ),
            pages: shown_pages(page, total)
                .into_iter()
                .map(|number| match number {
                    Some(number) => PagerLink {
                        number,
                        url: link(number),
                        gap: false,
                    },
                    None => PagerLink {
                        number: 0,
                        url: String::new(),
                        gap: true,
                    },
                })
                .collect(),
        };
        (&items[start..end], pager)
    }
}

/// The page numbers a pager shows: the first, the last and two either side of the current,
/// with `None` where pages are left out. Listing every page would make each page of a list
/// as long as the list: quadratic in an entity with thousands of pages (#5).
fn shown_pages(current: usize, total: usize) -> Vec<Option<usize>> {
    if total <= 1 {
        return Vec::new();
    }
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut numbers: Vec<usize> = [1, total].into_iter().chain(near).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut shown = Vec::with_capacity(numbers.len() + 2);
    for (i, &number) in numbers.iter().enumerate() {
        match i.checked_sub(1).map(|j| number - numbers[j]) {
            // One page left out is shown rather than hidden behind a gap.
            Some(2) => shown.push(Some(number - 1)),
            Some(gap) if gap > 2 => shown.push(None),
            _ => {}
        }
        shown.push(Some(number));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::shown_pages;

    #[test]
    fn a_pager_shows_the_ends_and_the_neighbourhood_of_the_current_page() {
        assert!(shown_pages(1, 1).is_empty());
        assert_eq!(shown_pages(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            shown_pages(1, 500),
            [Some(1), Some(2), Some(3), None, Some(500)]
        );
        // A single page between the ends and the neighbourhood is shown, not hidden.
        assert_eq!(
            shown_pages(5, 9),
            [
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                Some(9)
            ]
        );
        assert_eq!(
            shown_pages(250, 500),
            [
                Some(1),
                None,
                Some(248),
                Some(249),
                Some(250),
                Some(251),
                Some(252),
                None,
                Some(500)
            ]
        );
        assert_eq!(
            shown_pages(500, 500),
            [Some(1), None, Some(498), Some(499), Some(500)]
        );
    }
}
