package dev.tessera.serving.catalog;

import dev.tessera.features.definition.FeatureView;

/** Where the catalog gets a view's live figures: {@link PipelineFigures} on a node. */
@FunctionalInterface
public interface LiveFigures {
  ViewFigures of(FeatureView view);
}
