// Written by hand in the exact shape jextract 22 generates for jextract-command.txt (no jextract on the
// build machines). Change it only as regenerating with that command would; nothing here refers to
// dev.ticketoffload.openssl.

package dev.ticketoffload.openssl.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ossl_algorithm_st {
 *     const char *algorithm_names;
 *     const char *property_definition;
 *     const OSSL_DISPATCH *implementation;
 *     const char *algorithm_description;
 * }
 * }
 */
@SuppressWarnings("restricted") // see jextract-command.txt
public final class ossl_algorithm_st {

    private ossl_algorithm_st() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        libcrypto_h.C_POINTER.withName("algorithm_names"),
        libcrypto_h.C_POINTER.withName("property_definition"),
        libcrypto_h.C_POINTER.withName("implementation"),
        libcrypto_h.C_POINTER.withName("algorithm_description")
    ).withName("ossl_algorithm_st");

    /**
     * The layout of this struct
     */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout algorithm_names$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("algorithm_names"));

    private static final long algorithm_names$OFFSET = 0;

    /**
     * Offset for field: algorithm_names
     */
    public static final long algorithm_names$offset() {
        return algorithm_names$OFFSET;
    }

    /**
     * Getter for field: algorithm_names
     */
    public static MemorySegment algorithm_names(MemorySegment struct) {
        return struct.get(algorithm_names$LAYOUT, algorithm_names$OFFSET);
    }

    /**
     * Setter for field: algorithm_names
     */
    public static void algorithm_names(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(algorithm_names$LAYOUT, algorithm_names$OFFSET, fieldValue);
    }

    private static final AddressLayout property_definition$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("property_definition"));

    private static final long property_definition$OFFSET = 8;

    /**
     * Offset for field: property_definition
     */
    public static final long property_definition$offset() {
        return property_definition$OFFSET;
    }

    /**
     * Getter for field: property_definition
     */
    public static MemorySegment property_definition(MemorySegment struct) {
        return struct.get(property_definition$LAYOUT, property_definition$OFFSET);
    }

    /**
     * Setter for field: property_definition
     */
    public static void property_definition(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(property_definition$LAYOUT, property_definition$OFFSET, fieldValue);
    }

    private static final AddressLayout implementation$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("implementation"));

    private static final long implementation$OFFSET = 16;

    /**
     * Offset for field: implementation
     */
    public static final long implementation$offset() {
        return implementation$OFFSET;
    }

    /**
     * Getter for field: implementation
     */
    public static MemorySegment implementation(MemorySegment struct) {
        return struct.get(implementation$LAYOUT, implementation$OFFSET);
    }

    /**
     * Setter for field: implementation
     */
    public static void implementation(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(implementation$LAYOUT, implementation$OFFSET, fieldValue);
    }

    private static final AddressLayout algorithm_description$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("algorithm_description"));

    private static final long algorithm_description$OFFSET = 24;

    /**
     * Offset for field: algorithm_description
     */
    public static final long algorithm_description$offset() {
        return algorithm_description$OFFSET;
    }

    /**
     * Getter for field: algorithm_description
     */
    public static MemorySegment algorithm_description(MemorySegment struct) {
        return struct.get(algorithm_description$LAYOUT, algorithm_description$OFFSET);
    }

    /**
     * Setter for field: algorithm_description
     */
    public static void algorithm_description(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(algorithm_description$LAYOUT, algorithm_description$OFFSET, fieldValue);
    }

    /**
     * Obtains a slice of {@code arrayParam} which selects the array element at {@code index}.
     */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /**
     * The size (in bytes) of this struct
     */
    public static long sizeof() { return layout().byteSize(); }

    /**
     * Allocate an array of size {@code elementCount} using {@code allocator}
     */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /**
     * Reinterprets {@code addr} as an array of {@code elementCount} structs
     */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount) {
        return addr.reinterpret(layout().byteSize() * elementCount);
    }
}
