/*
 * glue.c --
 *
 *	Wrappers around the Tcl stubs table and the trampolines of our
 *	channel type. Kept free of logic: every decision is made in Go.
 */

#include <errno.h>

#include "glue.h"
#include "_cgo_export.h"

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
 * Our channel type. Every procedure hands the instance's handle to Go.
 *
 * Closing is a close2Proc, the only kind Tcl 9 calls (Tcl 8.6 calls it
 * when closeProc is TCL_CLOSE2PROC). Flags other than 0 would ask to close
 * one direction only: Tcl refuses that for stacked channels before asking
 * the driver, and should it ever ask, the channel stays open and the
 * caller gets an error.
 */

static int
Close2Proc(ClientData cd, Tcl_Interp *interp, int flags)
{
    if ((flags & (TCL_CLOSE_READ | TCL_CLOSE_WRITE)) != 0) {
	if (interp != NULL) {
	    Tcl_SetObjResult(interp, Tcl_NewStringObj(
		    "half-close of tls channels is not supported", -1));
	}
	return EINVAL;
    }
    return tclgoChanClose((uintptr_t) cd, (H) interp);
}

static int
InputProc(ClientData cd, char *buf, int toRead, int *errorCodePtr)
{
    return tclgoChanInput((uintptr_t) cd, buf, toRead, errorCodePtr);
}

static int
OutputProc(ClientData cd, const char *buf, int toWrite, int *errorCodePtr)
{
    return tclgoChanOutput((uintptr_t) cd, (char *) buf, toWrite,
	    errorCodePtr);
}

static int
SetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	const char *value)
{
    return tclgoChanSetOption((uintptr_t) cd, (H) interp, (char *) name,
	    (char *) value);
}

static int
GetOptionProc(ClientData cd, Tcl_Interp *interp, const char *name,
	Tcl_DString *ds)
{
    return tclgoChanGetOption((uintptr_t) cd, (H) interp, (char *) name,
	    (H) ds);
}

static void
WatchProc(ClientData cd, int mask)
{
    tclgoChanWatch((uintptr_t) cd, mask);
}

static int
GetHandleProc(ClientData cd, int direction, ClientData *handlePtr)
{
    return tclgoChanGetHandle((uintptr_t) cd, direction,
	    (uintptr_t *) handlePtr);
}

static int
BlockModeProc(ClientData cd, int mode)
{
    return tclgoChanBlockMode((uintptr_t) cd, mode);
}

static int
HandlerProc(ClientData cd, int mask)
{
    return tclgoChanHandler((uintptr_t) cd, mask);
}

static void
ThreadActionProc(ClientData cd, int action)
{
    tclgoChanThreadAction((uintptr_t) cd, action);
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
    *handle = (uintptr_t) Tcl_GetChannelInstanceData(CHAN(chan));
    return 1;
}

H tclgo_GetStackedChannel(H chan)
{ return (H) Tcl_GetStackedChannel(CHAN(chan)); }
H tclgo_GetTopChannel(H chan)
{ return (H) Tcl_GetTopChannel(CHAN(chan)); }
H tclgo_StackChannel(H interp, uintptr_t handle, int mask, H below)
{ return (H) Tcl_StackChannel(INTERP(interp), &channelType, CD(handle), mask, CHAN(below)); }
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
int tclgo_BadChannelOption(H interp, const char *name, const char *options)
{ return Tcl_BadChannelOption(INTERP(interp), name, options); }

Tcl_Size
tclgo_ReadRaw(H chan, char *buf, Tcl_Size len, int *err)
{
    Tcl_Size n;

    Tcl_SetErrno(0);
    n = Tcl_ReadRaw(CHAN(chan), buf, len);

    /*
     * Tcl's sockets turn a reset into end of file but leave errno set:
     * report it with the end too, so that a reset can be told from a FIN.
     */

    *err = (n <= 0) ? Tcl_GetErrno() : 0;
    return n;
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
tclgo_SetChannelError(H chan, const char *msg, Tcl_Size len)
{
    /*
     * Tcl wants return options followed by the message, as reflected
     * channels pass them on.
     */

    Tcl_Obj *list = Tcl_NewListObj(0, NULL);

    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj("-code", -1));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewIntObj(TCL_ERROR));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj("-level", -1));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewIntObj(0));
    Tcl_ListObjAppendElement(NULL, list, Tcl_NewStringObj(msg, len));
    Tcl_SetChannelError(CHAN(chan), list);
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
