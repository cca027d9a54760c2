//! Erlang C and Erlang A: the analytic companions of the simulator.
