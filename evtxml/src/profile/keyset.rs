//! A small map from names to the index of their last (or first) occurrence, linear for the
//! handful of names real events carry and hashed beyond that (no quadratic paths).

use std::collections::HashMap;

const LINEAR_MAX: usize = 32;

#[derive(Default)]
pub(crate) struct KeySet<'k> {
    small: Vec<(&'k str, usize)>,
    big: Option<HashMap<&'k str, usize>>,
}

impl<'k> KeySet<'k> {
    /// Records `i` as the latest occurrence of `k`.
    pub(crate) fn insert_last(&mut self, k: &'k str, i: usize) {
        if let Some(map) = &mut self.big {
            map.insert(k, i);
            return;
        }
        if let Some(slot) = self.small.iter_mut().find(|(n, _)| *n == k) {
            slot.1 = i;
            return;
        }
        self.small.push((k, i));
        if self.small.len() > LINEAR_MAX {
            self.big = Some(self.small.drain(..).collect());
        }
    }

    /// Records `i` for `k` unless `k` is already known; returns the first index of `k`.
    pub(crate) fn insert_first(&mut self, k: &'k str, i: usize) -> usize {
        if let Some(map) = &mut self.big {
            return *map.entry(k).or_insert(i);
        }
        if let Some((_, j)) = self.small.iter().find(|(n, _)| *n == k) {
            return *j;
        }
        self.small.push((k, i));
        if self.small.len() > LINEAR_MAX {
            self.big = Some(self.small.drain(..).collect());
        }
        i
    }

    /// The index recorded for `k`.
    pub(crate) fn get(&self, k: &str) -> Option<usize> {
        match &self.big {
            Some(map) => map.get(k).copied(),
            None => self.small.iter().find(|(n, _)| *n == k).map(|(_, i)| *i),
        }
    }

    /// `true` when `i` is the index recorded for `k`.
    pub(crate) fn is_last(&self, k: &str, i: usize) -> bool {
        self.get(k) == Some(i)
    }
}
