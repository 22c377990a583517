using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    private void BackwardNode(Tensor t)
    {
        switch (t.Op)
        {
            case OpCode.Constant:
                break;
            case OpCode.MatMul:
                BackwardMatMul(t);
                break;
            case OpCode.Linear:
            case OpCode.LinearRelu:
                BackwardLinear(t);
                break;
            case OpCode.Add:
            case OpCode.Sub:
            case OpCode.Mul:
            case OpCode.Div:
                BackwardBinary(t);
                break;
            case OpCode.ScaleAdd:
                BackwardScaleAdd(t);
                break;
            case OpCode.WeightedSum:
                BackwardWeightedSum(t);
                break;
            case OpCode.Exp:
            case OpCode.Log:
            case OpCode.Softplus:
            case OpCode.Relu:
            case OpCode.LeakyRelu:
            case OpCode.Tanh:
            case OpCode.Sigmoid:
            case OpCode.Square:
            case OpCode.Sqrt:
            case OpCode.Abs:
            case OpCode.Clamp:
                BackwardUnary(t);
                break;
            case OpCode.Softmax:
            case OpCode.LogSoftmax:
            case OpCode.LogSumExp:
                BackwardSoftmaxFamily(t);
                break;
            case OpCode.Sum:
            case OpCode.RowSum:
            case OpCode.ColumnSum:
                BackwardReduce(t);
                break;
            case OpCode.View:
            case OpCode.Concat:
            case OpCode.SliceCols:
            case OpCode.Transpose:
            case OpCode.RepeatRows:
            case OpCode.TileRows:
            case OpCode.Gather:
                BackwardShape(t);
                break;
            case OpCode.CrossEntropy:
                BackwardCrossEntropy(t);
                break;
            case OpCode.Dropout:
                BackwardDropout(t);
                break;
            case OpCode.BatchNormTrain:
                BackwardBatchNormTrain(t);
                break;
            case OpCode.BatchNormEval:
                BackwardBatchNormEval(t);
                break;
            case OpCode.GaussianLogProb:
            case OpCode.StandardNormalLogProb:
            case OpCode.GaussianKl:
            case OpCode.StandardNormalKl:
            case OpCode.Reparameterize:
            case OpCode.CategoricalEntropy:
                BackwardDistribution(t);
                break;
            default:
                throw new InvalidOperationException($"No backward rule for {t.Op}.");
        }
    }
}
