package dev.huddle.core.workos;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A page of a WorkOS list: {@code {object:"list", data:[...], list_metadata:{before, after}}}.
 *
 * @param data the items of this page
 * @param listMetadata the cursors around it
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkOsList<T>(List<T> data, @JsonProperty("list_metadata") Metadata listMetadata) {

    /** {@code list_metadata}: the cursors of the pages before and after this one (null at either end). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String before, String after) {
    }

    /** The cursor of the next page; null on the last. */
    public String after() {
        String after = listMetadata == null ? null : listMetadata.after();
        return after == null || after.isBlank() ? null : after;
    }

    /** The items; fails when WorkOS answered something that is not a list. */
    public List<T> items(String what) {
        if (data == null) {
            throw new WorkOsApiException(what + " answered a body without a data list");
        }
        return data;
    }
}
