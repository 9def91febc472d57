"""Message classes and method callables for ticketoffload.v1, made at run time.

No generated files are checked in: the descriptors come either from the .proto, compiled by
grpc_tools (Debian's python3-grpc-tools) in memory, or from the server itself through gRPC server
reflection (grpc.reflection.v1), which ticketd always offers. Both give the same FileDescriptorProto,
so everything after that is one code path.
"""
import os
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PROTO = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "offload-api",
                                      "src", "main", "proto", "ticketoffload", "v1", "ticket_service.proto"))
SERVICE = "ticketoffload.v1.TicketService"


def message_class(pool, full_name):
    desc = pool.FindMessageTypeByName(full_name)
    get = getattr(message_factory, "GetMessageClass", None)  # protobuf >= 4.22
    return get(desc) if get else message_factory.MessageFactory(pool).GetPrototype(desc)


def pool_of(file_protos):
    pool = descriptor_pool.DescriptorPool()
    for fp in file_protos:  # dependencies first (protoc and ticketd both list them in that order)
        pool.Add(fp)
    return pool


def descriptors_from_proto(proto_path=PROTO):
    """Compiles the .proto with grpc_tools; raises ImportError when grpc_tools is missing."""
    from grpc_tools import protoc
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        rc = protoc.main(["protoc", "-I" + os.path.dirname(os.path.dirname(os.path.dirname(proto_path))),
                          "--include_imports", "--descriptor_set_out=" + out, proto_path])
        if rc != 0:
            raise RuntimeError("protoc failed on %s (exit %d)" % (proto_path, rc))
        with open(out, "rb") as f:
            return list(descriptor_pb2.FileDescriptorSet.FromString(f.read()).file)


def _reflection_messages():
    # The two messages of grpc/reflection/v1/reflection.proto we need, declared by hand
    # (only the fields used), so that reflection works without any generated code.
    f = descriptor_pb2.FileDescriptorProto(name="reflection_min.proto", package="grpc.reflection.v1", syntax="proto3")
    req = f.message_type.add(name="ServerReflectionRequest")
    req.field.add(name="host", number=1, type=9, label=1)
    req.field.add(name="file_containing_symbol", number=4, type=9, label=1)
    fdr = f.message_type.add(name="FileDescriptorResponse")
    fdr.field.add(name="file_descriptor_proto", number=1, type=12, label=3)
    resp = f.message_type.add(name="ServerReflectionResponse")
    resp.field.add(name="file_descriptor_response", number=4, type=11, label=1,
                   type_name=".grpc.reflection.v1.FileDescriptorResponse")
    pool = pool_of([f])
    return (message_class(pool, "grpc.reflection.v1.ServerReflectionRequest"),
            message_class(pool, "grpc.reflection.v1.ServerReflectionResponse"))


def descriptors_from_reflection(channel, timeout_s=5.0):
    """Asks the server for the file that defines TicketService (and its dependencies)."""
    req_cls, resp_cls = _reflection_messages()
    call = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                 request_serializer=req_cls.SerializeToString,
                                 response_deserializer=resp_cls.FromString)
    files = {}
    for resp in call(iter([req_cls(file_containing_symbol=SERVICE)]), timeout=timeout_s):
        for raw in resp.file_descriptor_response.file_descriptor_proto:
            fp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            files[fp.name] = fp
    if not files:
        raise RuntimeError("server reflection returned no descriptor for " + SERVICE)
    # The server lists the requested file first; a pool needs dependencies first.
    ordered, seen = [], set()

    def visit(name):
        if name in seen or name not in files:
            return
        seen.add(name)
        for dep in files[name].dependency:
            visit(dep)
        ordered.append(files[name])
    for name in files:
        visit(name)
    return ordered


class TicketApi:
    """Message classes (api.SealRequest, api.OpenItem, api.Outcome names...) and the four RPCs."""

    def __init__(self, file_protos, source):
        self.source = source
        pool = pool_of(file_protos)
        for name in ("IkeSaState", "SealRequest", "SealItem", "SealResponse", "OpenRequest", "OpenItem",
                     "OpenResponse", "OpenResult"):
            setattr(self, name, message_class(pool, "ticketoffload.v1." + name))
        self.outcome_name = pool.FindEnumTypeByName("ticketoffload.v1.Outcome").values_by_number
        self._rpc = {"Seal": (self.SealRequest, self.SealResponse), "Open": (self.OpenRequest, self.OpenResponse)}

    def method(self, channel, name):
        req, resp = self._rpc[name]
        return channel.unary_unary("/%s/%s" % (SERVICE, name), request_serializer=req.SerializeToString,
                                   response_deserializer=resp.FromString)

    def outcome(self, result):
        return self.outcome_name[result.outcome].name


def load(channel, how="auto"):
    """how: 'proto' (grpc_tools), 'reflection', or 'auto' (grpc_tools if installed, else reflection)."""
    if how in ("auto", "proto"):
        try:
            return TicketApi(descriptors_from_proto(), "proto")
        except ImportError:
            if how == "proto":
                raise
    return TicketApi(descriptors_from_reflection(channel), "reflection")
