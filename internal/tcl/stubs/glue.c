/*
 * glue.c --
 *
 *	Wrappers around the Tcl stubs table, and our channel type: its
 *	procedures count every call into a layer (the re-entrancy rule, see
 *	Enter and Leave), apply the plan the Go driver writes after each of
 *	its entries (tclgo_SetPlan) and, while the plan allows it, run the
 *	steady state's reads and writes through the connection's own loops
 *	(fastpath.h's table), which the driver runs too; every other case
 *	goes to the driver. Which events pass up unchanged, which the timer
 *	reports and after which reads Tcl's empty input buffer goes back are
 *	the plan's. What is here: the channel below as those loops call it
 *	(BelowRead, BelowWrite: the host's raw calls, and whether a script
 *	they ran entered the layer), and the layer's one timer, which the
 *	driver arms through tclgo_ArmTimer and the data path for the input
 *	it reports.
 */

#include "glue.h"
#include "_cgo_export.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "../../fastpath/fastpath.h"

#define INTERP(h)	((Tcl_Interp *) (h))
#define OBJ(h)		((Tcl_Obj *) (h))
#define CHAN(h)		((Tcl_Channel) (h))
#define DS(h)		((Tcl_DString *) (h))
#define CD(h)		((ClientData) (h))

/*
 * A library built against Tcl 8.6's headers serves Tcl 8.6 and 8.7; one
 * built against Tcl 9.0's serves every Tcl 9. The stubs library refuses an
 * interpreter of the other major version and says so in its result.
 */

#if TCL_MAJOR_VERSION < 9
#   define TCLGO_TCL_VERSION	"8.6"
#else
#   define TCLGO_TCL_VERSION	"9.0"
#endif

const char *
tclgo_InitStubs(H interp)
{
    if (Tcl_InitStubs(INTERP(interp), TCLGO_TCL_VERSION, 0) == NULL) {
	return "this library needs Tcl " TCLGO_TCL_VERSION " or a later "
		TCLGO_TCL_VERSION " release of the same major version";
    }
    return NULL;
}

int tclgo_PkgProvide(H interp, const char *name, const char *version)
{ return Tcl_PkgProvide(INTERP(interp), name, version); }

static int
ObjCmdTrampoline(ClientData cd, Tcl_Interp *interp, int objc,
	Tcl_Obj *const objv[])
{
    return tclgoObjCmd((uintptr_t) cd, (H) interp, objc, (H *) objv);
}

static void
CmdDeleteTrampoline(ClientData cd)
{
    tclgoCmdDelete((uintptr_t) cd);
}

void
tclgo_CreateObjCommand(H interp, const char *name, uintptr_t handle)
{
    Tcl_CreateObjCommand(INTERP(interp), name, ObjCmdTrampoline, CD(handle),
	    CmdDeleteTrampoline);
}

void tclgo_SetObjResult(H interp, H obj)
{ Tcl_SetObjResult(INTERP(interp), OBJ(obj)); }
H tclgo_GetObjResult(H interp)
{ return (H) Tcl_GetObjResult(INTERP(interp)); }
void tclgo_ResetResult(H interp)
{ Tcl_ResetResult(INTERP(interp)); }
int tclgo_EvalEx(H interp, const char *script, Tcl_Size len, int flags)
{ return Tcl_EvalEx(INTERP(interp), script, len, flags); }
int tclgo_EvalObjEx(H interp, H obj, int flags)
{ return Tcl_EvalObjEx(INTERP(interp), OBJ(obj), flags); }
void tclgo_SetObjErrorCode(H interp, H obj)
{ Tcl_SetObjErrorCode(INTERP(interp), OBJ(obj)); }
void tclgo_AddErrorInfo(H interp, const char *msg)
{ Tcl_AddErrorInfo(INTERP(interp), msg); }
void tclgo_BackgroundException(H interp, int code)
{ Tcl_BackgroundException(INTERP(interp), code); }
void tclgo_Preserve(H p)
{ Tcl_Preserve(CD(p)); }
void tclgo_Release(H p)
{ Tcl_Release(CD(p)); }
int tclgo_InterpDeleted(H interp)
{ return Tcl_InterpDeleted(INTERP(interp)); }
H tclgo_SaveInterpState(H interp, int status)
{ return (H) Tcl_SaveInterpState(INTERP(interp), status); }
int tclgo_RestoreInterpState(H interp, H state)
{ return Tcl_RestoreInterpState(INTERP(interp), (Tcl_InterpState) state); }
H tclgo_GetVar(H interp, const char *name, int flags)
{ return (H) Tcl_GetVar2Ex(INTERP(interp), name, NULL, flags); }
H tclgo_SetVar(H interp, const char *name, H value, int flags)
{ return (H) Tcl_SetVar2Ex(INTERP(interp), name, NULL, OBJ(value), flags); }

H tclgo_NewStringObj(const char *s, Tcl_Size len)
{ return (H) Tcl_NewStringObj(s, len); }
H tclgo_NewWideIntObj(Tcl_WideInt v)
{ return (H) Tcl_NewWideIntObj(v); }
H tclgo_NewByteArrayObj(const unsigned char *b, Tcl_Size len)
{ return (H) Tcl_NewByteArrayObj(b, len); }
H tclgo_NewListObj(void)
{ return (H) Tcl_NewListObj(0, NULL); }
int tclgo_ListAppend(H interp, H list, H elem)
{ return Tcl_ListObjAppendElement(INTERP(interp), OBJ(list), OBJ(elem)); }
int tclgo_ListElements(H interp, H list, Tcl_Size *objc, H **objv)
{ return Tcl_ListObjGetElements(INTERP(interp), OBJ(list), objc, (Tcl_Obj ***) objv); }
const char *tclgo_GetString(H obj, Tcl_Size *len)
{ return Tcl_GetStringFromObj(OBJ(obj), len); }
unsigned char *tclgo_GetByteArray(H obj, Tcl_Size *len)
{ return Tcl_GetByteArrayFromObj(OBJ(obj), len); }
int tclgo_GetWideInt(H interp, H obj, Tcl_WideInt *v)
{ return Tcl_GetWideIntFromObj(INTERP(interp), OBJ(obj), v); }
int tclgo_GetBoolean(H interp, H obj, int *v)
{ return Tcl_GetBooleanFromObj(INTERP(interp), OBJ(obj), v); }
void tclgo_IncrRefCount(H obj)
{ Tcl_IncrRefCount(OBJ(obj)); }
void tclgo_DecrRefCount(H obj)
{ Tcl_DecrRefCount(OBJ(obj)); }

/*
 * Our channel type. A layer's instance data is an Instance: the Go
 * driver's handle, which every procedure hands to Go, the plan the driver
 * writes after each of its entries (tclgo_SetPlan), and what the layer's
 * steady-state data path in C needs. While the plan says the path may
 * run, input and output pull and push bytes through the layer's table
 * (fastpath.h) and the channel directly below, and the watch and handler
 * procedures answer as the plan says; every case the table reports as not
 * plain byte moving (an end of file or error below, a short write, a
 * reply OpenSSL queued, a script that entered the layer meanwhile) goes
 * to the driver, which finds in the connection what the table left and
 * carries on from there.
 *
 * Re-entrancy: a read or write below, a notification or a callback may
 * run a script, and the script may close the channel, unstack the layer
 * or enter it again. Every procedure, and every entry of the driver that
 * starts in Go (tclgo_LayerEnter), counts itself in depth for as long as
 * it runs; a close only marks the Instance, and the layer's memory (this
 * Instance, and the driver's connection, through tclgoChanRelease) goes
 * when the last call leaves (Leave). The data path runs only in a call
 * that is alone in the layer; a nested call goes to the driver, which
 * decides what it gets.
 *
 * Closing is a close2Proc, the only kind Tcl 9 calls (Tcl 8.6 calls it
 * when closeProc is TCL_CLOSE2PROC). Flags other than 0 ask to close one
 * direction only: Tcl asks to close the read side first at every close of
 * a readable channel, and takes EINVAL as "not supported", leaving the
 * whole close for later; a script's half-close Tcl refuses for stacked
 * channels before asking. Nothing is closed and nothing is said, so that
 * close's result stays empty.
 */

typedef struct Instance {
    uintptr_t handle;		/* the Go driver's handle */
    Tcl_Channel self;		/* this layer */
    Tcl_Channel below;		/* the channel directly below */
    const tlsgo_fastpath *io;	/* the data path's table, NULL if none */
    void *stream;		/* what the table's functions take */
    tlsgo_below belowIO;	/* the channel below, as the table (and the
				 * driver's own loops) read and write it */
    Tcl_TimerToken timer;	/* the layer's one zero-delay timer */
    int depth;			/* calls under way in the layer: nothing is
				 * freed under a running call */
    unsigned int entries;	/* calls that have entered so far: one
				 * that changes across a read or write below
				 * tells that a script entered the layer */
    /* The driver's plan (tclgo_SetPlan), written after its entries; the
     * masks are Tcl's event masks and STARVED_* bits, which a byte holds
     * (the Instance stays in the smaller of Tcl's allocation sizes): */
    unsigned char fast;		/* the C path may run */
    unsigned char drain;	/* its reads return a short count only once
				 * the channel below has nothing more */
    unsigned char upper;	/* the interest above the driver last saw */
    unsigned char pass;		/* events from below passed up unchanged */
    unsigned char report;	/* events the timer reports while input
				 * waits inside the layer (0: no timer) */
    unsigned char release;	/* after which starvations (STARVED_*) Tcl's
				 * empty input buffer goes back */
    unsigned char closed;	/* closed: freed when depth drops to 0 (C
				 * frees the Instance, so C must know it
				 * without a call into Go) */
    unsigned char timerDriver;	/* the driver armed it (tclgo_ArmTimer): it
				 * fires into the driver, which reports
				 * what it holds too (held events) */
    unsigned char starved;	/* the last input ran out of data (STARVED_*),
				 * known only here: the plan's release
				 * applies it at the next watch */
} Instance;

/*
 * How the last input ran out of data: it found none (which only a
 * non-blocking channel sees), or it returned less than Tcl asked for
 * (after which Tcl asks no more in non-blocking mode, until the next
 * event). The values are tcl.StarvedEmpty and tcl.StarvedShort, which
 * the driver's plan names in release.
 */
#define STARVED_EMPTY	1
#define STARVED_SHORT	2

/* FAST_DRIVER is what a C path returns when the driver must take over. */
#define FAST_DRIVER INT_MIN

#define INSTANCE(cd)	((Instance *) (cd))

/*
 * Enter and Leave bracket every call into the layer. The last call out
 * of a closed layer frees it. Fast reports whether the data path may run
 * in the call that has just entered: the driver allows it and no other
 * call is under way.
 */

static void
Enter(Instance *in)
{
    in->depth++;
    in->entries++;
}

static void CancelFastTimer(Instance *in);

static void
Leave(Instance *in)
{
    if (--in->depth == 0 && in->closed) {
	CancelFastTimer(in);
	tclgoChanRelease(in->handle);
	ckfree(in);
    }
}

/*
 * LeaveReleased is Leave for the close that was the one call in the
 * layer: the driver released its side before it returned (tclgoChanClose
 * with last), so only the Instance goes.
 */

static void
LeaveReleased(Instance *in)
{
    in->depth--;
    CancelFastTimer(in);
    ckfree(in);
}

#define Fast(in)	((in)->fast && (in)->depth == 1)

static void
CancelFastTimer(Instance *in)
{
    in->timerDriver = 0;
    if (in->timer != NULL) {
	Tcl_DeleteTimerHandler(in->timer);
	in->timer = NULL;
    }
}

static void ArmFastTimer(Instance *in);

static int
Close2Proc(ClientData cd, Tcl_Interp *interp, int flags)
{
    Instance *in = INSTANCE(cd);
    int code, last;

    if ((flags & (TCL_CLOSE_READ | TCL_CLOSE_WRITE)) != 0) {
	return EINVAL;
    }
    Enter(in);
    in->closed = 1;

    /*
     * Calls nest: with no other call under way now, none is when the
     * close returns, so it is the last call out, and the driver releases
     * its side at its end (one call into Go, not two).
     */

    last = in->depth == 1;
    code = tclgoChanClose(in->handle, (H) interp, last);
    if (last) {
	LeaveReleased(in);
    } else {
	Leave(in);		/* the last call out frees both sides */
    }
    return code;
}

/*
 * ReadRaw is every read from the channel below, the connection's loops'
 * (BelowRead) and the close-time drain's (tclgo_ReadRaw): Tcl_ReadRaw,
 * with errno. A script that the read runs may close the channel (see
 * Enter), and Tcl frees a channel's structure at its close unless a read
 * of that channel's own holds it (a read of the top, by a command or an
 * event); Tcl_ReadRaw holds nothing. A
 * channel below that is itself stacked (a transform: chan push, zlib push,
 * another TLS layer) may run scripts inside Tcl_ReadRaw (its own or a
 * channel's under it), and a close there frees the transform under its own
 * input procedure: Tcl_ReadRaw reads the freed structure when that
 * procedure returns, and a reflected transform reads again from the closed
 * channel under it first. That is Tcl's own fault (a second chan push
 * transform in place of TLS, over a transform whose read method closes the
 * channel, crashes tclsh8.6, tclsh9.0 and the Go host's Tcl alike), but
 * the layer can keep out of it: while a stacked channel below reads, the
 * channel is held (Tcl_RegisterChannel with no interpreter), so that a
 * script's close only takes it from its interpreter, and the close itself
 * runs when the hold is dropped, right after the read, with no input
 * procedure of the channel's under way but the caller's (a layer above
 * that reads this one with no hold, a Tcl transform, is left to Tcl). A
 * bottom channel below is read without the hold: its input procedure runs
 * no script (a socket, a file) or holds its own structure (chan create),
 * and a close from inside it must run at once, as it may be what ends a
 * wait there.
 */

static Tcl_Size
ReadRaw(Tcl_Channel below, char *buf, Tcl_Size len, int *errPtr)
{
    int hold = Tcl_GetStackedChannel(below) != NULL;
    Tcl_Size n;

    if (hold) {
	Tcl_RegisterChannel(NULL, below);
    }
    Tcl_SetErrno(0);
    n = Tcl_ReadRaw(below, buf, len);

    /*
     * Tcl's sockets turn a reset into end of file but leave errno set:
     * it is reported with the end too, so that a reset can be told from a
     * FIN. It is read before the hold goes, whose close may change it.
     */

    *errPtr = (n <= 0) ? Tcl_GetErrno() : 0;
    if (hold) {
	Tcl_UnregisterChannel(NULL, below);	/* closes it if a script did */
    }
    return n;
}

/*
 * BelowRead and BelowWrite are the channel below as the connection's
 * loops read and write it (fastpath.h's tlsgo_below): the host's raw
 * calls, with the errno of a call that did not move bytes, and whether a
 * script the call ran entered the layer.
 * The Instance is still there after the call: the layer is not freed
 * before the call that runs the loop has left it.
 */

static long
BelowRead(void *ctx, unsigned char *p, size_t n, int *err, int *entered)
{
    Instance *in = ctx;
    unsigned int before = in->entries;
    Tcl_Size got;

    got = ReadRaw(in->below, (char *) p, (Tcl_Size) n, err);
    *entered = in->entries != before;
    return (long) got;
}

static long
BelowWrite(void *ctx, const unsigned char *p, size_t n, int *err,
	int *entered)
{
    Instance *in = ctx;
    unsigned int before = in->entries;
    Tcl_Size wrote;

    Tcl_SetErrno(0);
    wrote = Tcl_WriteRaw(in->below, (const char *) p, (Tcl_Size) n);
    *err = (wrote < 0) ? Tcl_GetErrno() : 0;
    *entered = in->entries != before;
    return (long) wrote;
}

/*
 * FastInput is the steady-state input: the table's pull. Plaintext with
 * nothing else to see to goes up; a read below that would block is
 * EAGAIN; anything else is the driver's, which finishes a read that
 * returned plaintext or makes it again (finding what the pull left).
 */

static int
FastInput(Instance *in, char *buf, int toRead, int *errorCodePtr)
{
    int status;
    long n = in->io->pull(in->stream, buf, (size_t) toRead, &in->belowIO,
	    in->drain, &status);

    switch (status) {
    case TLSGO_FAST_OK:
	return (int) n;
    case TLSGO_FAST_BLOCKED:
	*errorCodePtr = EAGAIN;
	return -1;
    }
    return n > 0 ? tclgoChanInputDone(in->handle, (int) n, errorCodePtr)
	    : FAST_DRIVER;
}

static int
InputProc(ClientData cd, char *buf, int toRead, int *errorCodePtr)
{
    Instance *in = INSTANCE(cd);
    int n = FAST_DRIVER;

    Enter(in);
    if (Fast(in) && toRead > 0) {
	n = FastInput(in, buf, toRead, errorCodePtr);
    }
    if (n == FAST_DRIVER) {
	n = tclgoChanInput(in->handle, buf, toRead, errorCodePtr);
    } else if (n > 0 && Fast(in)) {
	ArmFastTimer(in);
    }
    if (n < 0 && *errorCodePtr == EAGAIN) {
	in->starved = STARVED_EMPTY;
    } else if (n > 0 && n < toRead) {
	in->starved = STARVED_SHORT;
    } else {
	in->starved = 0;
    }
    Leave(in);
    return n;
}

/*
 * ReleaseInputBuffer gives back the empty input buffer Tcl keeps for the
 * channel once a read has run out of data as the plan says it should
 * (when is the driver's policy, tcl.Plan.Release). Tcl frees its empty
 * input buffers when the buffer size changes, so the size is changed and
 * put back. That happens only from a watch that is the one call in the
 * layer (WatchProc sees to it: between channel operations, no input or
 * output procedure under way) and only when the layer is on top, so that
 * no read of Tcl's is filling the buffer; buffers holding data are never
 * touched.
 */

static void
ReleaseInputBuffer(Instance *in)
{
    Tcl_Size size;
    int why = in->starved;

    in->starved = 0;
    if ((why & in->release) == 0 || in->closed
	    || Tcl_GetTopChannel(in->self) != in->self) {
	return;
    }
    size = Tcl_GetChannelBufferSize(in->self);
    Tcl_SetChannelBufferSize(in->self, size > 1 ? size - 1 : size + 1);
    Tcl_SetChannelBufferSize(in->self, size);
}

/*
 * FastOutput is the steady-state output: the table's push. Anything but
 * all taken and sent is the driver's, which finishes a write that took
 * plaintext (judging a write below that took nothing as its own) or
 * makes it again.
 */

static int
FastOutput(Instance *in, const char *buf, int toWrite, int *errorCodePtr)
{
    int status;
    long n = in->io->push(in->stream, buf, (size_t) toWrite, &in->belowIO,
	    &status);

    if (status == TLSGO_FAST_OK) {
	return (int) n;
    }
    return n > 0 ? tclgoChanOutputDone(in->handle, (int) n, errorCodePtr)
	    : FAST_DRIVER;
}

static int
OutputProc(ClientData cd, const char *buf, int toWrite, int *errorCodePtr)
{
    Instance *in = INSTANCE(cd);
    int n = FAST_DRIVER;

    Enter(in);
    if (Fast(in) && toWrite > 0) {
	n = FastOutput(in, buf, toWrite, errorCodePtr);
    }
    if (n == FAST_DRIVER) {
	n = tclgoChanOutput(in->handle, (char *) buf, toWrite, errorCodePtr);
    }
    Leave(in);
    return n;
}

static void FastTimer(ClientData cd);

/*
 * ArmFastTimer arms the timer when input waits inside the layer and the
 * plan has the timer report it. Tcl asks the top layer's watch procedure
 * after every read, but no layer below it: a layer whose reader is
 * another layer arms it at the end of its own input.
 */

static void
ArmFastTimer(Instance *in)
{
    if (in->report != 0 && in->timer == NULL
	    && in->io->readable(in->stream)) {
	in->timer = Tcl_CreateTimerHandler(0, FastTimer, in);
    }
}

/*
 * FastTimer is the layer's one timer firing. Armed by the driver, or with
 * the path off or a call under way, it is the driver's (its Timer).
 * Armed by the path, it reports input waiting inside the layer, which the
 * channel below will not signal, as the plan says.
 */

static void
FastTimer(ClientData cd)
{
    Instance *in = INSTANCE(cd);

    in->timer = NULL;
    if (in->timerDriver || !in->fast || in->depth > 0) {
	/*
	 * The driver enters and leaves the layer itself, and notifies
	 * after leaving.
	 */

	in->timerDriver = 0;
	tclgoChanTimer(in->handle);
	return;
    }

    /*
     * No call is under way, so the layer is open (a closed one is freed,
     * its timer with it, when the last call leaves) and the path may run.
     * Asking the table runs no script; the scripts the notification runs
     * read the channel as any event's do: not from inside a call of the
     * layer.
     */

    if (in->report != 0 && in->io->readable(in->stream)) {
	Tcl_NotifyChannel(in->self, in->report);
    }
}

static int
SetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	const char *value)
{
    Instance *in = INSTANCE(cd);
    int code;

    Enter(in);
    code = tclgoChanSetOption(in->handle, (H) interp, (char *) name,
	    (char *) value);
    Leave(in);
    return code;
}

static int
GetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	Tcl_DString *ds)
{
    Instance *in = INSTANCE(cd);
    int code;

    Enter(in);
    code = tclgoChanGetOption(in->handle, (H) interp, (char *) name, (H) ds);
    Leave(in);
    return code;
}

/*
 * Tcl calls the watch procedure after every read: in the steady state, an
 * unchanged interest needs nothing from the driver, only the timer when
 * plaintext waits inside the layer.
 */

static void
WatchProc(ClientData cd, int mask)
{
    Instance *in = INSTANCE(cd);

    Enter(in);
    if (in->starved && in->depth == 1) {
	ReleaseInputBuffer(in);
    }
    if (Fast(in) && mask == in->upper) {
	ArmFastTimer(in);
    } else {
	tclgoChanWatch(in->handle, mask);
    }
    Leave(in);
}

static int
GetHandleProc(ClientData cd, int direction, ClientData *handlePtr)
{
    Instance *in = INSTANCE(cd);
    int code;

    Enter(in);
    code = tclgoChanGetHandle(in->handle, direction, (uintptr_t *) handlePtr);
    Leave(in);
    return code;
}

static int
BlockModeProc(ClientData cd, int mode)
{
    Instance *in = INSTANCE(cd);
    int code;

    Enter(in);
    code = tclgoChanBlockMode(in->handle, mode);
    Leave(in);
    return code;
}

/*
 * In the steady state, the events from below that the plan passes pass up
 * unchanged; any other goes to the driver.
 */

static int
HandlerProc(ClientData cd, int mask)
{
    Instance *in = INSTANCE(cd);

    Enter(in);
    if (!Fast(in) || (mask & ~in->pass) != 0) {
	mask = tclgoChanHandler(in->handle, mask);
    }
    Leave(in);
    return mask;
}

static void
ThreadActionProc(ClientData cd, int action)
{
    Instance *in = INSTANCE(cd);

    Enter(in);
    tclgoChanThreadAction(in->handle, action);
    Leave(in);
}

static Tcl_ChannelType channelType = {
    "tls",			/* typeName */
    TCL_CHANNEL_VERSION_5,	/* version */
    TCL_CLOSE2PROC,		/* closeProc */
    InputProc,			/* inputProc */
    OutputProc,			/* outputProc */
    NULL,			/* seekProc */
    SetOptionProc,		/* setOptionProc */
    GetOptionProc,		/* getOptionProc */
    WatchProc,			/* watchProc */
    GetHandleProc,		/* getHandleProc */
    Close2Proc,			/* close2Proc */
    BlockModeProc,		/* blockModeProc */
    NULL,			/* flushProc */
    HandlerProc,		/* handlerProc */
    NULL,			/* wideSeekProc */
    ThreadActionProc,		/* threadActionProc */
    NULL			/* truncateProc */
};

void tclgo_SetChannelTypeName(const char *name)
{ channelType.typeName = name; }

H
tclgo_GetChannel(H interp, const char *name)
{
    int mode;

    return (H) Tcl_GetChannel(INTERP(interp), name, &mode);
}

const char *tclgo_GetChannelName(H chan)
{ return Tcl_GetChannelName(CHAN(chan)); }
const char *tclgo_GetChannelTypeName(H chan)
{ return Tcl_GetChannelType(CHAN(chan))->typeName; }

int
tclgo_InstanceHandle(H chan, uintptr_t *handle)
{
    if (Tcl_GetChannelType(CHAN(chan)) != &channelType) {
	return 0;
    }
    *handle = INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan)))->handle;
    return 1;
}

H tclgo_GetStackedChannel(H chan)
{ return (H) Tcl_GetStackedChannel(CHAN(chan)); }
H tclgo_GetTopChannel(H chan)
{ return (H) Tcl_GetTopChannel(CHAN(chan)); }
H
tclgo_StackChannel(H interp, uintptr_t handle, int mask, H below)
{
    Instance *in = (Instance *) ckalloc(sizeof(Instance));
    Tcl_Channel chan;

    memset(in, 0, sizeof(Instance));
    in->handle = handle;
    in->below = CHAN(below);
    in->belowIO.read = BelowRead;
    in->belowIO.write = BelowWrite;
    in->belowIO.ctx = in;
    chan = Tcl_StackChannel(INTERP(interp), &channelType, in, mask,
	    CHAN(below));
    if (chan == NULL) {
	ckfree(in);
	return 0;
    }
    in->self = chan;
    return (H) chan;
}

/*
 * The steady-state data path's switches, set by the driver. ch is one of
 * our layers.
 */

void
tclgo_SetFastIO(H chan, uintptr_t table, uintptr_t stream)
{
    Instance *in = INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan)));

    in->io = (const tlsgo_fastpath *) table;
    in->stream = (void *) stream;
    if (in->io == NULL) {
	in->fast = 0;
    }
}

uintptr_t
tclgo_Below(H chan)
{
    return (uintptr_t)
	    &INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan)))->belowIO;
}

void
tclgo_SetPlan(H chan, int fast, int drain, int upper, int pass, int report,
	int release)
{
    Instance *in = INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan)));

    in->fast = fast && in->io != NULL;
    in->drain = drain;
    in->upper = upper;
    in->pass = pass;
    in->report = report;
    in->release = release;
    if (!in->fast && !in->timerDriver) {
	CancelFastTimer(in);	/* the path's own: the driver takes over */
    }
}

/*
 * tclgo_ArmTimer arms the layer's timer for the driver (it fires into its
 * Timer), tclgo_CancelTimer disarms it whoever armed it.
 */

void
tclgo_ArmTimer(H chan)
{
    Instance *in = INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan)));

    in->timerDriver = 1;
    if (in->timer == NULL) {
	in->timer = Tcl_CreateTimerHandler(0, FastTimer, in);
    }
}

void
tclgo_CancelTimer(H chan)
{
    CancelFastTimer(INSTANCE(Tcl_GetChannelInstanceData(CHAN(chan))));
}

/*
 * The driver's own entries into a layer (a command, a timer of its own)
 * count like the procedures': tclgo_LayerEnter returns the token that
 * tclgo_LayerLeave and tclgo_LayerDepth take, valid until the last call
 * leaves a closed layer. tclgo_LayerLeave reports whether it was that
 * last call: the layer's memory is gone and the driver frees its side.
 */

uintptr_t
tclgo_LayerOf(H chan)
{
    return (uintptr_t) Tcl_GetChannelInstanceData(CHAN(chan));
}

void
tclgo_LayerEnter(uintptr_t layer)
{
    Enter((Instance *) layer);
}

int
tclgo_LayerLeave(uintptr_t layer)
{
    Instance *in = (Instance *) layer;

    if (--in->depth == 0 && in->closed) {
	CancelFastTimer(in);
	ckfree(in);
	return 1;
    }
    return 0;
}

int
tclgo_LayerDepth(uintptr_t layer)
{
    return ((Instance *) layer)->depth;
}

unsigned int
tclgo_LayerEntries(uintptr_t layer)
{
    return ((Instance *) layer)->entries;
}

int tclgo_UnstackChannel(H interp, H chan)
{ return Tcl_UnstackChannel(INTERP(interp), CHAN(chan)); }
int tclgo_InputBuffered(H chan)
{ return Tcl_InputBuffered(CHAN(chan)); }
void tclgo_NotifyChannel(H chan, int mask)
{ Tcl_NotifyChannel(CHAN(chan), mask); }
int tclgo_SetChannelOption(H interp, H chan, const char *name, const char *value)
{ return Tcl_SetChannelOption(INTERP(interp), CHAN(chan), name, value); }
int tclgo_GetChannelMode(H chan)
{ return Tcl_GetChannelMode(CHAN(chan)); }

Tcl_Size
tclgo_ReadRaw(H chan, char *buf, Tcl_Size len, int *err)
{
    return ReadRaw(CHAN(chan), buf, len, err);
}

Tcl_Size
tclgo_WriteRaw(H chan, const char *buf, Tcl_Size len, int *err)
{
    Tcl_Size n;

    Tcl_SetErrno(0);
    n = Tcl_WriteRaw(CHAN(chan), buf, len);
    *err = (n < 0) ? Tcl_GetErrno() : 0;
    return n;
}

int
tclgo_GetChannelOption(H interp, H chan, const char *name, H *value)
{
    Tcl_DString ds;
    int code;

    Tcl_DStringInit(&ds);
    code = Tcl_GetChannelOption(INTERP(interp), CHAN(chan), name, &ds);
    if (code == TCL_OK) {
	*value = (H) Tcl_NewStringObj(Tcl_DStringValue(&ds),
		Tcl_DStringLength(&ds));
    }
    Tcl_DStringFree(&ds);
    return code;
}

void
tclgo_DriverWatch(H chan, int mask)
{
    Tcl_DriverWatchProc *proc =
	    Tcl_ChannelWatchProc(Tcl_GetChannelType(CHAN(chan)));

    if (proc != NULL) {
	proc(Tcl_GetChannelInstanceData(CHAN(chan)), mask);
    }
}

int
tclgo_DriverBlockMode(H chan, int mode)
{
    Tcl_DriverBlockModeProc *proc =
	    Tcl_ChannelBlockModeProc(Tcl_GetChannelType(CHAN(chan)));

    return proc == NULL ? 0 : proc(Tcl_GetChannelInstanceData(CHAN(chan)), mode);
}

int
tclgo_DriverGetOption(H chan, H interp, const char *name, H ds)
{
    Tcl_DriverGetOptionProc *proc =
	    Tcl_ChannelGetOptionProc(Tcl_GetChannelType(CHAN(chan)));

    if (proc == NULL) {
	return (name == NULL) ? TCL_OK
		: Tcl_BadChannelOption(INTERP(interp), name, "");
    }
    return proc(Tcl_GetChannelInstanceData(CHAN(chan)), INTERP(interp), name,
	    DS(ds));
}

int
tclgo_DriverSetOption(H chan, H interp, const char *name, const char *value)
{
    Tcl_DriverSetOptionProc *proc =
	    Tcl_ChannelSetOptionProc(Tcl_GetChannelType(CHAN(chan)));

    if (proc == NULL) {
	return Tcl_BadChannelOption(INTERP(interp), name, "");
    }
    return proc(Tcl_GetChannelInstanceData(CHAN(chan)), INTERP(interp), name,
	    value);
}

int
tclgo_DriverGetHandle(H chan, int direction, uintptr_t *handle)
{
    Tcl_Channel bottom = CHAN(chan), below;

    /*
     * Tcl_GetChannelHandle asks the bottom of the stack, and leaves a
     * channel error behind when it has no handles (reflected channels):
     * check first, so that no later close or read reports it.
     */

    while ((below = Tcl_GetStackedChannel(bottom)) != NULL) {
	bottom = below;
    }
    if (Tcl_ChannelGetHandleProc(Tcl_GetChannelType(bottom)) == NULL) {
	return TCL_ERROR;
    }
    return Tcl_GetChannelHandle(CHAN(chan), direction, (ClientData *) handle);
}

void
tclgo_DriverThreadAction(H chan, int action)
{
    Tcl_DriverThreadActionProc *proc =
	    Tcl_ChannelThreadActionProc(Tcl_GetChannelType(CHAN(chan)));

    if (proc != NULL) {
	proc(Tcl_GetChannelInstanceData(CHAN(chan)), action);
    }
}

void tclgo_DStringAppend(H ds, const char *s, Tcl_Size len)
{ Tcl_DStringAppend(DS(ds), s, len); }
void tclgo_DStringAppendElement(H ds, const char *s)
{ Tcl_DStringAppendElement(DS(ds), s); }

static void
TimerTrampoline(ClientData cd)
{
    tclgoTimer((uintptr_t) cd);
}

H tclgo_CreateTimer(int ms, uintptr_t handle)
{ return (H) Tcl_CreateTimerHandler(ms, TimerTrampoline, CD(handle)); }
void tclgo_DeleteTimer(H token)
{ Tcl_DeleteTimerHandler((Tcl_TimerToken) token); }

void
tclgo_SetChannelError(H chan, H options)
{
    Tcl_SetChannelError(CHAN(chan), OBJ(options));
}

/*
 * Channel references held by the package itself: while a script callback
 * runs, the channel is kept registered once more so that a close from
 * inside the script cannot free it under the driver.
 */

void tclgo_HoldChannel(H chan)
{ Tcl_RegisterChannel(NULL, CHAN(chan)); }
void tclgo_ReleaseChannel(H chan)
{ Tcl_UnregisterChannel(NULL, CHAN(chan)); }
int tclgo_IsChannelShared(H chan)
{ return Tcl_IsChannelShared(CHAN(chan)); }

static void
InterpDeletedTrampoline(ClientData cd, Tcl_Interp *interp)
{
    (void) interp;
    tclgoInterpDeleted((uintptr_t) cd);
}

void tclgo_CallWhenDeleted(H interp, uintptr_t handle)
{ Tcl_CallWhenDeleted(INTERP(interp), InterpDeletedTrampoline, CD(handle)); }
void tclgo_DontCallWhenDeleted(H interp, uintptr_t handle)
{ Tcl_DontCallWhenDeleted(INTERP(interp), InterpDeletedTrampoline, CD(handle)); }

int
tclgo_Constant(int which)
{
    static const int values[] = {
	TCL_EVAL_GLOBAL, TCL_GLOBAL_ONLY, TCL_LEAVE_ERR_MSG,
	TCL_READABLE, TCL_WRITABLE, TCL_EXCEPTION,
	TCL_MODE_BLOCKING, TCL_MODE_NONBLOCKING,
	TCL_CHANNEL_THREAD_INSERT, TCL_CHANNEL_THREAD_REMOVE,
	TCL_OK, TCL_ERROR, TCL_RETURN, TCL_BREAK, TCL_CONTINUE
    };

    if (which < 0 || which >= (int) (sizeof(values) / sizeof(values[0]))) {
	return -1;
    }
    return values[which];
}
