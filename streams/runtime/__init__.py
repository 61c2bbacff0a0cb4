"""The Faust worker: app factory, context, stages, HTTP views, reliability, observability.
The only layer that imports Faust."""
