//! Hand-worked timelines of whole trials: fixed demand, fixed rate, fixed delay.
