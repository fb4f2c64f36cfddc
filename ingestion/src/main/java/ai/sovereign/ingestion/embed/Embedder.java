package ai.sovereign.ingestion.embed;

import java.util.List;

/** Turns texts into unit-length vectors of one model; the domain never sees which model runs where. */
public interface Embedder {

    /** The model's name, also the vector collection's name. */
    String model();

    int dimensions();

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
